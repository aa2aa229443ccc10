/** Unit tests for the simulator's small pure pieces: well-formedness scan, ids, JWTs, fault settings, schema helper. */
import { signJwt, verifyJwt } from '../../simulator/auth/jwt';
import { findMalformedSpot } from '../../simulator/ews/well-formed';
import { mergeFaults, NO_FAULTS, shouldThrottle, transportFault } from '../../simulator/faults';
import {
  isWellFormedFolderId,
  isWellFormedItemId,
  newFolderId,
  newItemChangeKey,
  newItemId,
} from '../../simulator/ids';
import fs from 'node:fs';
import { ewsSchemaDir, expectValidEwsResponse } from '../helpers/simulator-ews-schema';

describe('findMalformedSpot', () => {
  test('accepts predefined and numeric references, CDATA and comments', () => {
    expect(
      findMalformedSpot('<a>&amp;&lt;&gt;&quot;&apos;&#38;&#x26;<![CDATA[ & ]]><!-- & --></a>'),
    ).toBeUndefined();
  });
  test('reports a bare & with .NET-style line and position', () => {
    expect(findMalformedSpot('<a>\n  <b>Tom & Jerry</b></a>')).toEqual({
      line: 2,
      position: 11,
      violation: 'An error occurred while parsing EntityName.',
    });
  });
  test('reports undeclared entities and DTDs', () => {
    expect(findMalformedSpot('<a>&nbsp;</a>')?.violation).toBe("Reference to undeclared entity 'nbsp'.");
    expect(findMalformedSpot('<!DOCTYPE a><a/>')?.violation).toMatch(/DTD is prohibited/);
  });
});

describe('ids', () => {
  test('item and folder ids are opaque base64, distinguishable and validated', () => {
    const guid = '11111111-2222-3333-4444-555555555555';
    const item = newItemId(guid);
    expect(item).toMatch(/^AAMkA/);
    expect(isWellFormedItemId(item)).toBe(true);
    expect(isWellFormedFolderId(item)).toBe(false);
    expect(isWellFormedFolderId(newFolderId(guid))).toBe(true);
    expect(isWellFormedItemId('AAAA')).toBe(false);
    expect(isWellFormedItemId('%bad%')).toBe(false);
    expect(newItemChangeKey()).toMatch(/^CQAAABYAAA/);
    expect(newItemChangeKey()).not.toBe(newItemChangeKey());
  });
});

describe('jwt', () => {
  const key = Buffer.alloc(32, 7);
  test('round-trips and rejects tampering, other keys and expiry', () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({ appid: 'a', exp: now + 60 }, key);
    expect(verifyJwt(token, key)).toEqual({ ok: true, claims: { appid: 'a', exp: now + 60 } });
    expect(verifyJwt(token, Buffer.alloc(32, 8)).ok).toBe(false);
    expect(verifyJwt(signJwt({ exp: now - 1 }, key), key)).toEqual({
      ok: false,
      reason: 'The token has expired.',
    });
    const [h, , s] = token.split('.');
    expect(verifyJwt(`${h}.${Buffer.from('{"exp":9999999999}').toString('base64url')}.${s}`, key).ok).toBe(
      false,
    );
  });
});

describe('faults', () => {
  test('merge validates every field and reports all problems at once', () => {
    expect(mergeFaults({ ...NO_FAULTS }, { throttleRate: 0.5 }).throttleRate).toBe(0.5);
    expect(() =>
      mergeFaults({ ...NO_FAULTS }, { throttleRate: 2, latencyMs: -1, bogus: 1 } as never),
    ).toThrow(/throttleRate.*latencyMs.*bogus/);
  });
  test('decisions follow the rates', () => {
    const always = { ...NO_FAULTS, dropRate: 1, errorRate: 1, throttleRate: 1 };
    expect(transportFault(always, () => 0.5)).toBe('drop');
    expect(transportFault({ ...always, dropRate: 0 }, () => 0.5)).toBe('error');
    expect(transportFault(NO_FAULTS, () => 0)).toBeUndefined();
    expect(shouldThrottle(always, () => 0.99)).toBe(true);
    expect(shouldThrottle(NO_FAULTS, () => 0)).toBe(false);
  });
});

describe('schema helper', () => {
  const wrap = (inner: string) =>
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' +
    '<m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">' +
    `<m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Error">${inner}</m:GetFolderResponseMessage>` +
    '</m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>';
  test('accepts schema order and rejects elements out of order (when the schemas are present)', async () => {
    await expectValidEwsResponse(
      wrap(
        '<m:MessageText>x</m:MessageText><m:ResponseCode>ErrorFolderNotFound</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>',
      ),
    );
    const bad = expectValidEwsResponse(
      wrap('<m:ResponseCode>ErrorFolderNotFound</m:ResponseCode><m:MessageText>x</m:MessageText>'),
    );
    if (fs.existsSync(ewsSchemaDir())) {
      await expect(bad).rejects.toThrow(/fails messages\.xsd/);
    } else {
      await bad;
    }
  });
});
