/** A self-signed certificate for the optional HTTPS listener (msal-node insists on https authorities). */
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

export async function selfSignedCertificate(host: string): Promise<TlsMaterial> {
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
    ...(isIp
      ? host === '127.0.0.1'
        ? []
        : [{ type: 7 as const, ip: host }]
      : [{ type: 2 as const, value: host }]),
  ];
  const pems = await generate([{ name: 'commonName', value: isIp ? 'localhost' : host }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
