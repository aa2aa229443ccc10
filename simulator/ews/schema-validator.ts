/**
 * Validates a parsed (@xmldom) element tree against compiled schema declarations, in document order like
 * .NET's XmlReader-based validator, stopping at the first violation. Messages follow .NET's wording (Exchange
 * puts them in the ErrorSchemaValidation fault). Fails open, by skipping the element's content, for: xsi:type
 * and xsi:nil in requests, content the compiler marks unsupported, and elements under a lax or skip wildcard
 * that the schema does not declare.
 */
import type { Attr, Element, Node } from '@xmldom/xmldom';
import type { AllGroup, CompiledElement, ComplexType, TypeDefinition } from './schema-compiler';
import { type Match, wildcardAllows, type Wildcard } from './schema-content-model';
import type { SchemaModel } from './schema-compiler';
import { normalizeWhiteSpace, type SimpleType } from './schema-simple-types';

const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

export interface SchemaViolation {
  /** 1-based, like .NET's IXmlLineInfo; 0 when unknown. */
  line: number;
  position: number;
  message: string;
}

class Violation extends Error {
  constructor(
    readonly node: Node,
    message: string,
    /** xmldom records the '<' of a start tag; .NET points at the name after it. */
    readonly offset = 0,
  ) {
    super(message);
  }
}

function nameIn(el: { localName: string | null; namespaceURI: string | null }): string {
  const ns = el.namespaceURI ?? '';
  return ns ? `'${el.localName ?? ''}' in namespace '${ns}'` : `'${el.localName ?? ''}'`;
}

function qualifiedName(ns: string, name: string): string {
  return ns ? `${ns}:${name}` : name;
}

function expectedList(labels: Match[]): string {
  const byNs: Array<[string, string[]]> = [];
  const wildcards: string[] = [];
  const add = (ns: string, name: string) => {
    let entry = byNs.find(([n]) => n === ns);
    if (!entry) byNs.push((entry = [ns, []]));
    if (!entry[1].includes(name)) entry[1].push(name);
  };
  for (const label of labels) {
    if ('decl' in label) for (const d of label.decl.substitutes()) add(d.ns, d.name);
    else wildcards.push(describeWildcard(label.wildcard));
  }
  const parts = byNs.map(([ns, names]) => `'${names.join(', ')}'${ns ? ` in namespace '${ns}'` : ''}`);
  const list = parts.join(' and ');
  return wildcards.length ? `${list}${list ? ' as well as ' : ''}${wildcards.join(', ')}` : list;
}

function describeWildcard(w: Wildcard): string {
  if (w.namespaces === '##any') return 'any element in any namespace';
  if (Array.isArray(w.namespaces)) return `any element in namespace '${w.namespaces.join(' ')}'`;
  return `any element in a namespace other than '${w.namespaces.other}'`;
}

function textContentOf(el: Element): string {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT || n.nodeType === CDATA) text += n.nodeValue ?? '';
  }
  return text;
}

export class InstanceValidator {
  constructor(private readonly model: SchemaModel) {}

  /** Validates `el` against the global declaration of its name; lax: undeclared elements pass. */
  validateLax(el: Element): SchemaViolation | undefined {
    const decl = this.model.globalElement(el.namespaceURI ?? '', el.localName ?? '');
    return decl ? this.validate(el, decl) : undefined;
  }

  /** Validates `el` against the global declaration of its name; an undeclared element is a violation. */
  validateStrict(el: Element): SchemaViolation | undefined {
    const decl = this.model.globalElement(el.namespaceURI ?? '', el.localName ?? '');
    if (!decl) return this.located(new Violation(el, `The ${nameIn(el)} element is not declared.`, 1));
    return this.validate(el, decl);
  }

  private validate(el: Element, decl: CompiledElement): SchemaViolation | undefined {
    try {
      if (decl.abstract)
        throw new Violation(el, `The element ${nameIn(el)} is abstract or its type is abstract.`, 1);
      this.element(el, decl.type());
      return undefined;
    } catch (err) {
      if (err instanceof Violation) return this.located(err);
      throw err;
    }
  }

  private located(v: Violation): SchemaViolation {
    const at = v.node as unknown as { lineNumber?: number; columnNumber?: number };
    return { line: at.lineNumber ?? 0, position: (at.columnNumber ?? 0) + v.offset, message: v.message };
  }

  private element(el: Element, type: TypeDefinition): void {
    if (el.hasAttributeNS(XSI_NS, 'type') || el.hasAttributeNS(XSI_NS, 'nil')) return;
    if (type.kind !== 'complex') {
      this.attributes(el, undefined);
      this.onlyText(el, 'text only');
      this.value(el, el, type, `The '${qualifiedName(el.namespaceURI ?? '', el.localName ?? '')}' element`);
      return;
    }
    if (type.abstract)
      throw new Violation(el, `The element ${nameIn(el)} is abstract or its type is abstract.`, 1);
    this.attributes(el, type);
    switch (type.content) {
      case 'unsupported':
        return;
      case 'empty':
        this.onlyText(el, 'empty');
        if (!type.mixed && textContentOf(el).trim() !== '') {
          throw new Violation(
            el,
            `The element ${nameIn(el)} cannot contain text. Content model is empty.`,
            1,
          );
        }
        return;
      case 'simple':
        this.onlyText(el, 'text only');
        this.value(
          el,
          el,
          type.simple as SimpleType,
          `The '${qualifiedName(el.namespaceURI ?? '', el.localName ?? '')}' element`,
        );
        return;
      case 'all':
        this.allContent(el, type.all as AllGroup, type.mixed);
        return;
      case 'elements':
        this.elementContent(el, type);
        return;
    }
  }

  private onlyText(el: Element, model: 'empty' | 'text only'): void {
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === ELEMENT) {
        throw new Violation(
          n,
          `The element ${nameIn(el)} cannot contain child element ${nameIn(n as Element)} because the parent element's content model is ${model}.`,
          1,
        );
      }
    }
  }

  private value(el: Element, at: Node, type: SimpleType, subject: string, raw?: string): void {
    const value = normalizeWhiteSpace(raw ?? textContentOf(el), type.whiteSpace);
    const reason = type.check(value);
    if (reason) {
      throw new Violation(
        at,
        `${subject} is invalid - The value '${value.length > 1000 ? `${value.slice(0, 1000)}…` : value}' is invalid according to its datatype '${type.name}' - ${reason}`,
        at === el ? 1 : 0,
      );
    }
  }

  private attributes(el: Element, type: ComplexType | undefined): void {
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i += 1) {
      const a = attrs.item(i) as Attr;
      const ns = a.namespaceURI ?? '';
      if (ns === XMLNS_NS || a.name === 'xmlns' || a.name.startsWith('xmlns:') || ns === XSI_NS) continue;
      const local = a.localName ?? a.name;
      const use = type?.attributes.get(`{${ns}}${local}`);
      if (use) {
        this.value(el, el, use.type, `The '${qualifiedName(ns, local)}' attribute`, a.value);
      } else if (!type?.anyAttribute || !wildcardAllows(type.anyAttribute, ns)) {
        throw new Violation(el, `The '${qualifiedName(ns, local)}' attribute is not declared.`, 1);
      }
    }
    for (const use of type?.requiredAttributes ?? []) {
      if (!el.hasAttributeNS(use.ns || null, use.name)) {
        throw new Violation(el, `The required attribute '${qualifiedName(use.ns, use.name)}' is missing.`, 1);
      }
    }
  }

  private elementContent(el: Element, type: ComplexType): void {
    const automaton = type.automaton;
    if (!automaton) return;
    let state = automaton.start;
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === TEXT || n.nodeType === CDATA) {
        if (!type.mixed && (n.nodeValue ?? '').trim() !== '') {
          throw new Violation(
            n,
            `The element ${nameIn(el)} cannot contain text. List of possible elements expected: ${expectedList(automaton.expected(state))}.`,
          );
        }
        continue;
      }
      if (n.nodeType !== ELEMENT) continue;
      const child = n as Element;
      const step = automaton.step(state, child.namespaceURI ?? '', child.localName ?? '');
      if (!step) {
        const expected = automaton.expected(state);
        throw new Violation(
          child,
          expected.length
            ? `The element ${nameIn(el)} has invalid child element ${nameIn(child)}. List of possible elements expected: ${expectedList(expected)}.`
            : `The element ${nameIn(el)} has invalid child element ${nameIn(child)}.`,
          1,
        );
      }
      state = step.state;
      this.child(child, step.match);
    }
    if (!state.accepting) {
      throw new Violation(
        el,
        `The element ${nameIn(el)} has incomplete content. List of possible elements expected: ${expectedList(automaton.expected(state))}.`,
        1,
      );
    }
  }

  private child(child: Element, match: Match): void {
    if ('decl' in match) {
      this.element(child, (match.decl as CompiledElement).type());
      return;
    }
    if (match.wildcard.process === 'skip') return;
    const decl = this.model.globalElement(child.namespaceURI ?? '', child.localName ?? '');
    if (decl) this.element(child, decl.type());
    else if (match.wildcard.process === 'strict') {
      throw new Violation(child, `The ${nameIn(child)} element is not declared.`, 1);
    }
  }

  private allContent(el: Element, all: AllGroup, mixed: boolean): void {
    const seen = new Set<CompiledElement>();
    const expected = () =>
      expectedList(all.members.filter((m) => !seen.has(m.decl)).map((m) => ({ decl: m.decl })));
    for (let n = el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === TEXT || n.nodeType === CDATA) {
        if (!mixed && (n.nodeValue ?? '').trim() !== '') {
          throw new Violation(
            n,
            `The element ${nameIn(el)} cannot contain text. List of possible elements expected: ${expected()}.`,
          );
        }
        continue;
      }
      if (n.nodeType !== ELEMENT) continue;
      const child = n as Element;
      const member = all.members.find(
        (m) =>
          m.decl.ns === (child.namespaceURI ?? '') && m.decl.name === child.localName && !seen.has(m.decl),
      );
      if (!member) {
        throw new Violation(
          child,
          `The element ${nameIn(el)} has invalid child element ${nameIn(child)}. List of possible elements expected: ${expected()}.`,
          1,
        );
      }
      seen.add(member.decl);
      this.element(child, member.decl.type());
    }
    const missing = all.members.filter((m) => m.required && !seen.has(m.decl));
    if (missing.length && (all.required || seen.size > 0)) {
      throw new Violation(
        el,
        `The element ${nameIn(el)} has incomplete content. List of possible elements expected: ${expected()}.`,
        1,
      );
    }
  }
}
