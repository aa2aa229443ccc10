/**
 * Reads an XSD file set (messages.xsd and what it imports/includes from the same folder) and indexes its
 * global components by {namespace}name. Only reads files; compiling them is schema-compiler.ts's job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { XSD_NS } from './schema-simple-types';

export type ComponentKind =
  'element' | 'complexType' | 'simpleType' | 'group' | 'attributeGroup' | 'attribute';

export interface SchemaComponent {
  node: Element;
  targetNamespace: string;
}

export interface RawSchema {
  components: Record<ComponentKind, Map<string, SchemaComponent>>;
  files: string[];
}

export function qualified(ns: string, name: string): string {
  return `{${ns}}${name}`;
}

export function xsdChildren(parent: Element, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const el = n as Element;
    if (el.namespaceURI === XSD_NS && (localName === undefined || el.localName === localName)) out.push(el);
  }
  return out;
}

/** True when `dir` holds the two EWS schema files. */
export function hasEwsSchemas(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'messages.xsd')) && fs.existsSync(path.join(dir, 'types.xsd'));
}

export function loadSchemaFiles(dir: string, entry = 'messages.xsd'): RawSchema {
  const components: RawSchema['components'] = {
    element: new Map(),
    complexType: new Map(),
    simpleType: new Map(),
    group: new Map(),
    attributeGroup: new Map(),
    attribute: new Map(),
  };
  const files: string[] = [];
  const pending = [entry];
  while (pending.length) {
    const name = pending.shift() as string;
    if (files.includes(name)) continue;
    files.push(name);
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const root = new DOMParser().parseFromString(text, 'text/xml').documentElement;
    if (!root || root.localName !== 'schema' || root.namespaceURI !== XSD_NS) {
      throw new Error(`${path.join(dir, name)} is not an XML Schema`);
    }
    const targetNamespace = root.getAttribute('targetNamespace') ?? '';
    for (const child of xsdChildren(root)) {
      const kind = child.localName as ComponentKind | 'import' | 'include';
      if (kind === 'import' || kind === 'include') {
        const location = child.getAttribute('schemaLocation');
        // Only local files next to the entry schema; remote locations are never fetched.
        if (location && !/^[a-z]+:/i.test(location) && fs.existsSync(path.join(dir, location))) {
          pending.push(location);
        }
      } else if (kind in components) {
        const local = child.getAttribute('name');
        if (local) components[kind].set(qualified(targetNamespace, local), { node: child, targetNamespace });
      }
    }
  }
  return { components, files };
}
