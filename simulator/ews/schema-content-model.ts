/**
 * Element-only content models (xs:sequence, xs:choice, element particles, xs:any wildcards, with
 * minOccurs/maxOccurs) compiled to an automaton: a Thompson NFA whose state sets are interned as DFA states on
 * first use, so a request steps through each child element with one map lookup once the schema is warm.
 * xs:all is not an automaton; it is checked separately (see schema-validator.ts).
 */

export interface ElementDecl {
  ns: string;
  name: string;
  abstract: boolean;
  /** Non-abstract declarations that may appear where this one is allowed (itself and its substitution group). */
  substitutes(): ElementDecl[];
}

export interface Wildcard {
  /** '##any', '##other' (relative to targetNamespace) or a list of namespace URIs ('' = no namespace). */
  namespaces: '##any' | { other: string } | string[];
  process: 'strict' | 'lax' | 'skip';
}

export type Particle =
  | { kind: 'element'; decl: ElementDecl; min: number; max: number }
  | { kind: 'any'; wildcard: Wildcard; min: number; max: number }
  | { kind: 'sequence' | 'choice'; items: Particle[]; min: number; max: number };

export function wildcardAllows(w: Wildcard, ns: string): boolean {
  if (w.namespaces === '##any') return true;
  if (Array.isArray(w.namespaces)) return w.namespaces.includes(ns);
  return ns !== '' && ns !== w.namespaces.other;
}

/** What a child element matched (or may match): the declaration that validates it, or a wildcard. */
export type Match = { decl: ElementDecl } | { wildcard: Wildcard };
type Label = Match;

export interface DfaState {
  accepting: boolean;
  /** Next state per `${ns}|${localName}`; null when the child is not allowed here. */
  next: Map<string, { state: DfaState; match: Match } | null>;
  states: number[];
}

class Nfa {
  eps: number[][] = [];
  trans: Array<Array<{ label: Label; to: number }>> = [];

  state(): number {
    this.eps.push([]);
    this.trans.push([]);
    return this.eps.length - 1;
  }

  /** Builds the particle between two new states, returns [start, end]. */
  fragment(p: Particle): [number, number] {
    const start = this.state();
    let at = start;
    for (let i = 0; i < p.min; i += 1) at = this.once(p, at);
    if (p.max === Infinity) {
      const loop = this.state();
      this.eps[at].push(loop);
      const [s, e] = this.single(p);
      this.eps[loop].push(s);
      this.eps[e].push(loop);
      at = loop;
    } else {
      const end = this.state();
      for (let i = p.min; i < p.max; i += 1) {
        this.eps[at].push(end);
        at = this.once(p, at);
      }
      this.eps[at].push(end);
      at = end;
    }
    return [start, at];
  }

  private once(p: Particle, from: number): number {
    const [s, e] = this.single(p);
    this.eps[from].push(s);
    return e;
  }

  /** One occurrence of the particle, ignoring its min/max. */
  private single(p: Particle): [number, number] {
    const start = this.state();
    const end = this.state();
    if (p.kind === 'element') {
      this.trans[start].push({ label: { decl: p.decl }, to: end });
    } else if (p.kind === 'any') {
      this.trans[start].push({ label: { wildcard: p.wildcard }, to: end });
    } else if (p.kind === 'sequence') {
      let at = start;
      for (const item of p.items) {
        const [s, e] = this.fragment(item);
        this.eps[at].push(s);
        at = e;
      }
      this.eps[at].push(end);
    } else {
      for (const item of p.items) {
        const [s, e] = this.fragment(item);
        this.eps[start].push(s);
        this.eps[e].push(end);
      }
    }
    return [start, end];
  }
}

export class ContentAutomaton {
  private readonly nfa = new Nfa();
  private readonly final: number;
  private readonly interned = new Map<string, DfaState>();
  readonly start: DfaState;

  constructor(particle: Particle) {
    const [s, e] = this.nfa.fragment(particle);
    this.final = e;
    this.start = this.intern(this.closure([s]));
  }

  private closure(seeds: number[]): number[] {
    const seen = new Set<number>();
    const stack = [...seeds];
    while (stack.length) {
      const s = stack.pop() as number;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const t of this.nfa.eps[s]) stack.push(t);
    }
    return [...seen].sort((a, b) => a - b);
  }

  private intern(states: number[]): DfaState {
    const key = states.join(',');
    let dfa = this.interned.get(key);
    if (!dfa) {
      dfa = { accepting: states.includes(this.final), next: new Map(), states };
      this.interned.set(key, dfa);
    }
    return dfa;
  }

  step(from: DfaState, ns: string, localName: string): { state: DfaState; match: Match } | null {
    const key = `${ns}|${localName}`;
    const cached = from.next.get(key);
    if (cached !== undefined) return cached;
    const targets: number[] = [];
    let match: Match | undefined;
    for (const s of from.states) {
      for (const { label, to } of this.nfa.trans[s]) {
        let m: Match | undefined;
        if ('decl' in label) {
          const decl = label.decl.substitutes().find((d) => d.ns === ns && d.name === localName);
          if (decl) m = { decl };
        } else if (wildcardAllows(label.wildcard, ns)) {
          m = { wildcard: label.wildcard };
        }
        if (m) {
          match ??= m;
          targets.push(to);
        }
      }
    }
    const result = match ? { state: this.intern(this.closure(targets)), match } : null;
    from.next.set(key, result);
    return result;
  }

  /** Declarations and wildcards a next child could match, for "List of possible elements expected". */
  expected(from: DfaState): Match[] {
    const labels: Label[] = [];
    for (const s of from.states) for (const { label } of this.nfa.trans[s]) labels.push(label);
    return labels;
  }
}
