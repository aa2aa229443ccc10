/**
 * Compiles the XSD components read by schema-loader.ts into the model the request validator walks: element
 * declarations (global and local, substitution groups), complex types (sequence/choice/all/group, element refs,
 * xs:any, complexContent extension/restriction, simpleContent, attributes, attribute groups, anyAttribute) and
 * simple types. Components compile lazily on first use and are cached, so start-up only parses the files.
 * Unsupported (the validator then skips the content, never rejects it): an xs:all combined with a non-empty
 * base or extension, simpleContent derived from a complex type without simple content, and references to
 * components the files do not define.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { ContentAutomaton, type ElementDecl, type Particle, type Wildcard } from './schema-content-model';
import { qualified, type RawSchema, type SchemaComponent, xsdChildren } from './schema-loader';
import {
  ANY_SIMPLE_TYPE,
  builtInType,
  type Facets,
  listType,
  restrictType,
  type SimpleType,
  unionType,
  type WhiteSpace,
  XSD_NS,
} from './schema-simple-types';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface AttributeUse {
  ns: string;
  name: string;
  type: SimpleType;
  required: boolean;
}

export interface AllGroup {
  members: Array<{ decl: CompiledElement; required: boolean }>;
  /** minOccurs of the xs:all itself: 0 means the whole group may be absent. */
  required: boolean;
}

export interface ComplexType {
  kind: 'complex';
  name: string;
  abstract: boolean;
  content: 'empty' | 'elements' | 'simple' | 'all' | 'unsupported';
  mixed: boolean;
  particle?: Particle;
  automaton?: ContentAutomaton;
  all?: AllGroup;
  simple?: SimpleType;
  attributes: Map<string, AttributeUse>;
  requiredAttributes: AttributeUse[];
  anyAttribute?: Wildcard;
}

export type TypeDefinition = ComplexType | SimpleType;

export interface CompiledElement extends ElementDecl {
  type(): TypeDefinition;
}

const ANY_TYPE: ComplexType = {
  kind: 'complex',
  name: `${XSD_NS}:anyType`,
  abstract: false,
  content: 'unsupported',
  mixed: true,
  attributes: new Map(),
  requiredAttributes: [],
  anyAttribute: { namespaces: '##any', process: 'skip' },
};

function occurs(node: Element): { min: number; max: number } {
  const min = node.getAttribute('minOccurs');
  const max = node.getAttribute('maxOccurs');
  return {
    min: min ? Number(min) : 1,
    max: max === 'unbounded' ? Infinity : max ? Number(max) : 1,
  };
}

export class SchemaModel {
  private readonly elements = new Map<string, CompiledElement>();
  private readonly complexTypes = new Map<string, ComplexType>();
  private readonly simpleTypes = new Map<string, SimpleType>();
  /** head {ns}name → global elements naming it in substitutionGroup. */
  private readonly substitutionMembers = new Map<string, string[]>();

  constructor(private readonly raw: RawSchema) {
    for (const [key, { node }] of raw.components.element) {
      const head = node.getAttribute('substitutionGroup');
      if (!head) continue;
      const headKey = this.qname(node, head);
      const members = this.substitutionMembers.get(headKey) ?? [];
      members.push(key);
      this.substitutionMembers.set(headKey, members);
    }
  }

  /** A global element declaration, or undefined when the schema does not declare it. */
  globalElement(ns: string, name: string): CompiledElement | undefined {
    const key = qualified(ns, name);
    const cached = this.elements.get(key);
    if (cached) return cached;
    const component = this.raw.components.element.get(key);
    if (!component) return undefined;
    const decl = this.elementDecl(component.node, ns, name, () => this.globalSubstitutes(key));
    this.elements.set(key, decl);
    return decl;
  }

  private globalSubstitutes(key: string): CompiledElement[] {
    const out: CompiledElement[] = [];
    const visit = (k: string) => {
      const c = this.raw.components.element.get(k);
      const m = /^\{(.*)\}(.*)$/.exec(k);
      const decl = c && m ? this.globalElement(m[1], m[2]) : undefined;
      if (!decl || out.includes(decl)) return;
      if (!decl.abstract) out.push(decl);
      for (const member of this.substitutionMembers.get(k) ?? []) visit(member);
    };
    visit(key);
    return out;
  }

  private elementDecl(
    node: Element,
    ns: string,
    name: string,
    substitutes?: () => CompiledElement[],
  ): CompiledElement {
    let type: TypeDefinition | undefined;
    let subs: CompiledElement[] | undefined;
    const decl: CompiledElement = {
      ns,
      name,
      abstract: node.getAttribute('abstract') === 'true',
      substitutes: () => (subs ??= substitutes ? substitutes() : [decl]),
      type: () => (type ??= this.elementType(node, ns)),
    };
    return decl;
  }

  private elementType(node: Element, ns: string): TypeDefinition {
    const typeName = node.getAttribute('type');
    if (typeName) return this.typeByName(this.qname(node, typeName));
    const inlineComplex = xsdChildren(node, 'complexType')[0];
    if (inlineComplex) return this.compileComplex(inlineComplex, `${ns}:${node.getAttribute('name') ?? ''}`);
    const inlineSimple = xsdChildren(node, 'simpleType')[0];
    if (inlineSimple) return this.compileSimple(inlineSimple, ns, '');
    const head = node.getAttribute('substitutionGroup');
    if (head) {
      const [headNs, headName] = this.split(this.qname(node, head));
      const headDecl = this.globalElement(headNs, headName);
      if (headDecl) return headDecl.type();
    }
    return ANY_TYPE;
  }

  private typeByName(key: string): TypeDefinition {
    const [ns, name] = this.split(key);
    if (ns === XSD_NS) return name === 'anyType' ? ANY_TYPE : (builtInType(name) ?? ANY_SIMPLE_TYPE);
    if (this.raw.components.complexType.has(key)) return this.complexType(key);
    return this.simpleType(key);
  }

  private complexType(key: string): ComplexType {
    let type = this.complexTypes.get(key);
    if (!type) {
      const component = this.raw.components.complexType.get(key);
      if (!component) return ANY_TYPE;
      const [ns, name] = this.split(key);
      type = this.compileComplex(component.node, `${ns}:${name}`);
      this.complexTypes.set(key, type);
    }
    return type;
  }

  private simpleType(key: string): SimpleType {
    const [ns, name] = this.split(key);
    if (ns === XSD_NS) return builtInType(name) ?? ANY_SIMPLE_TYPE;
    let type = this.simpleTypes.get(key);
    if (!type) {
      const component = this.raw.components.simpleType.get(key);
      if (!component) return ANY_SIMPLE_TYPE;
      type = this.compileSimple(component.node, ns, name);
      this.simpleTypes.set(key, type);
    }
    return type;
  }

  private compileSimple(node: Element, ns: string, name: string): SimpleType {
    const restriction = xsdChildren(node, 'restriction')[0];
    const list = xsdChildren(node, 'list')[0];
    const union = xsdChildren(node, 'union')[0];
    if (restriction) {
      const base = this.restrictionBase(restriction, ns);
      return restrictType(base, name ? `${ns}:${name}` : base.name, this.facets(restriction));
    }
    if (list) {
      const itemType = list.getAttribute('itemType');
      const inline = xsdChildren(list, 'simpleType')[0];
      const item = itemType
        ? this.simpleType(this.qname(list, itemType))
        : inline
          ? this.compileSimple(inline, ns, '')
          : ANY_SIMPLE_TYPE;
      return listType(item, name ? `${ns}:${name}` : `list of ${item.name}`);
    }
    if (union) {
      const members = (union.getAttribute('memberTypes') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((m) => this.simpleType(this.qname(union, m)));
      for (const inline of xsdChildren(union, 'simpleType')) members.push(this.compileSimple(inline, ns, ''));
      return unionType(members, name ? `${ns}:${name}` : 'union');
    }
    return ANY_SIMPLE_TYPE;
  }

  private restrictionBase(restriction: Element, ns: string): SimpleType {
    const baseName = restriction.getAttribute('base');
    if (baseName) {
      const base = this.typeByName(this.qname(restriction, baseName));
      if (base.kind === 'complex') return base.simple ?? ANY_SIMPLE_TYPE;
      return base;
    }
    const inline = xsdChildren(restriction, 'simpleType')[0];
    return inline ? this.compileSimple(inline, ns, '') : ANY_SIMPLE_TYPE;
  }

  private facets(restriction: Element): Facets {
    const facets: Facets = {};
    for (const f of xsdChildren(restriction)) {
      const value = f.getAttribute('value') ?? '';
      switch (f.localName) {
        case 'enumeration':
          (facets.enumeration ??= []).push(value);
          break;
        case 'pattern':
          (facets.patterns ??= []).push(value);
          break;
        case 'length':
        case 'minLength':
        case 'maxLength':
          facets[f.localName] = Number(value);
          break;
        case 'minInclusive':
        case 'maxInclusive':
        case 'minExclusive':
        case 'maxExclusive':
          facets[f.localName] = value;
          break;
        case 'whiteSpace':
          facets.whiteSpace = value as WhiteSpace;
          break;
        default:
          break;
      }
    }
    return facets;
  }

  private compileComplex(node: Element, name: string): ComplexType {
    const type: ComplexType = {
      kind: 'complex',
      name,
      abstract: node.getAttribute('abstract') === 'true',
      content: 'empty',
      mixed: node.getAttribute('mixed') === 'true',
      attributes: new Map(),
      requiredAttributes: [],
    };
    const tns = this.targetNamespace(node);
    const simpleContent = xsdChildren(node, 'simpleContent')[0];
    const complexContent = xsdChildren(node, 'complexContent')[0];
    if (simpleContent) {
      const derivation = xsdChildren(simpleContent)[0];
      const base = this.typeByName(
        this.qname(derivation, derivation.getAttribute('base') ?? 'xs:anySimpleType'),
      );
      const baseSimple = base.kind === 'complex' ? base.simple : base;
      if (base.kind === 'complex') this.inheritAttributes(type, base);
      if (!baseSimple) {
        type.content = 'unsupported';
      } else {
        type.content = 'simple';
        type.simple =
          derivation.localName === 'restriction'
            ? restrictType(this.restrictionBase(derivation, tns), name, this.facets(derivation))
            : baseSimple;
      }
      this.ownAttributes(type, derivation, tns);
    } else if (complexContent) {
      if (complexContent.getAttribute('mixed') === 'true') type.mixed = true;
      const derivation = xsdChildren(complexContent)[0];
      const baseKey = this.qname(derivation, derivation.getAttribute('base') ?? 'xs:anyType');
      const base = baseKey === qualified(XSD_NS, 'anyType') ? undefined : this.complexType(baseKey);
      if (base) this.inheritAttributes(type, base);
      const own = this.contentOf(derivation);
      if (derivation.localName === 'extension' && base && base.content !== 'empty') {
        if (base.content === 'elements' && own.content === 'elements') {
          type.content = 'elements';
          type.particle = {
            kind: 'sequence',
            items: [base.particle as Particle, own.particle as Particle],
            min: 1,
            max: 1,
          };
        } else if (own.content === 'empty') {
          Object.assign(type, { content: base.content, particle: base.particle, all: base.all });
          type.simple = base.simple;
        } else {
          type.content = 'unsupported';
        }
      } else {
        Object.assign(type, own);
      }
      this.ownAttributes(type, derivation, tns);
    } else {
      Object.assign(type, this.contentOf(node));
      this.ownAttributes(type, node, tns);
    }
    if (type.content === 'elements' && type.particle) type.automaton = new ContentAutomaton(type.particle);
    type.requiredAttributes = [...type.attributes.values()].filter((a) => a.required);
    return type;
  }

  /** The model group of a complexType/extension/restriction node. */
  private contentOf(node: Element): Pick<ComplexType, 'content' | 'particle' | 'all'> {
    const group = xsdChildren(node).find((c) =>
      ['sequence', 'choice', 'all', 'group'].includes(c.localName ?? ''),
    );
    if (!group) return { content: 'empty' };
    const resolved = this.resolveGroup(group);
    if (resolved.localName === 'all') {
      const members = xsdChildren(resolved, 'element').map((e) => ({
        decl: this.particleElement(e),
        required: occurs(e).min > 0,
      }));
      return { content: 'all', all: { members, required: occurs(group).min > 0 } };
    }
    const particle = this.particle(group);
    if (
      !particle ||
      (particle.kind !== 'element' && particle.kind !== 'any' && particle.items.length === 0)
    ) {
      return { content: 'empty' };
    }
    return { content: 'elements', particle };
  }

  private resolveGroup(node: Element): Element {
    if (node.localName !== 'group') return node;
    const ref = node.getAttribute('ref');
    const def = ref ? this.raw.components.group.get(this.qname(node, ref)) : undefined;
    const inner = def && xsdChildren(def.node).find((c) => c.localName !== 'annotation');
    return inner ?? node;
  }

  private particle(node: Element): Particle | undefined {
    const { min, max } = occurs(node);
    if (max === 0) return undefined;
    switch (node.localName) {
      case 'element':
        return { kind: 'element', decl: this.particleElement(node), min, max };
      case 'any':
        return { kind: 'any', wildcard: this.wildcard(node), min, max };
      case 'group': {
        const inner = this.particle(this.resolveGroup(node));
        return inner && { ...inner, min, max };
      }
      case 'sequence':
      case 'choice': {
        const items = xsdChildren(node)
          .map((c) => this.particle(c))
          .filter((p): p is Particle => p !== undefined);
        return { kind: node.localName, items, min, max };
      }
      default:
        return undefined;
    }
  }

  private particleElement(node: Element): CompiledElement {
    const ref = node.getAttribute('ref');
    if (ref) {
      const [ns, name] = this.split(this.qname(node, ref));
      const global = this.globalElement(ns, name);
      if (global) return global;
      return this.elementDecl(node, ns, name);
    }
    const name = node.getAttribute('name') ?? '';
    const form = node.getAttribute('form') ?? this.schemaRoot(node).getAttribute('elementFormDefault');
    const ns = form === 'qualified' ? this.targetNamespace(node) : '';
    return this.elementDecl(node, ns, name);
  }

  private wildcard(node: Element): Wildcard {
    const ns = node.getAttribute('namespace') ?? '##any';
    const process = (node.getAttribute('processContents') ?? 'strict') as Wildcard['process'];
    if (ns === '##any') return { namespaces: '##any', process };
    if (ns === '##other') return { namespaces: { other: this.targetNamespace(node) }, process };
    const namespaces = ns
      .split(/\s+/)
      .filter(Boolean)
      .map((n) => (n === '##targetNamespace' ? this.targetNamespace(node) : n === '##local' ? '' : n));
    return { namespaces, process };
  }

  private inheritAttributes(type: ComplexType, base: ComplexType): void {
    for (const [k, v] of base.attributes) type.attributes.set(k, v);
    if (base.anyAttribute) type.anyAttribute = base.anyAttribute;
  }

  private ownAttributes(type: ComplexType, node: Element, tns: string): void {
    for (const child of xsdChildren(node)) {
      if (child.localName === 'attribute') {
        const use = this.attributeUse(child, tns);
        const key = qualified(use.ns, use.name);
        if (child.getAttribute('use') === 'prohibited') type.attributes.delete(key);
        else type.attributes.set(key, use);
      } else if (child.localName === 'attributeGroup') {
        const ref = child.getAttribute('ref');
        const group = ref ? this.raw.components.attributeGroup.get(this.qname(child, ref)) : undefined;
        if (group) this.ownAttributes(type, group.node, group.targetNamespace);
      } else if (child.localName === 'anyAttribute') {
        type.anyAttribute = this.wildcard(child);
      }
    }
  }

  private attributeUse(node: Element, tns: string): AttributeUse {
    const required = node.getAttribute('use') === 'required';
    const ref = node.getAttribute('ref');
    if (ref) {
      const key = this.qname(node, ref);
      const [ns, name] = this.split(key);
      const global: SchemaComponent | undefined = this.raw.components.attribute.get(key);
      const type = global
        ? this.attributeType(global.node, ns)
        : ns === XML_NS && name === 'lang'
          ? (builtInType('language') as SimpleType)
          : ANY_SIMPLE_TYPE;
      return { ns, name, type, required };
    }
    const form = node.getAttribute('form') ?? this.schemaRoot(node).getAttribute('attributeFormDefault');
    return {
      ns: form === 'qualified' ? tns : '',
      name: node.getAttribute('name') ?? '',
      type: this.attributeType(node, tns),
      required,
    };
  }

  private attributeType(node: Element, tns: string): SimpleType {
    const typeName = node.getAttribute('type');
    if (typeName) return this.simpleType(this.qname(node, typeName));
    const inline = xsdChildren(node, 'simpleType')[0];
    return inline ? this.compileSimple(inline, tns, '') : ANY_SIMPLE_TYPE;
  }

  private schemaRoot(node: Element): Element {
    return (node.ownerDocument as Document).documentElement as Element;
  }

  private targetNamespace(node: Element): string {
    return this.schemaRoot(node).getAttribute('targetNamespace') ?? '';
  }

  /** Resolves a QName-valued schema attribute (type="t:Foo") in the scope of `node`. */
  private qname(node: Element, value: string): string {
    const colon = value.indexOf(':');
    const prefix = colon === -1 ? null : value.slice(0, colon);
    const local = colon === -1 ? value : value.slice(colon + 1);
    const ns = prefix === 'xml' ? XML_NS : (node.lookupNamespaceURI(prefix) ?? '');
    return qualified(ns, local);
  }

  private split(key: string): [string, string] {
    const end = key.indexOf('}');
    return [key.slice(1, end), key.slice(end + 1)];
  }
}
