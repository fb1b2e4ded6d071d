// The TextMate grammar and language configuration are valid, wired to package.json, and their
// patterns recognise what the language has (checked with JS regexes, which these patterns share
// with Oniguruma).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIRECTIVE_KINDS } from '../../../src/core/rasp/ast';
import { reservedNames } from '../../../src/core/rasp/interpreter';

const ROOT = join(__dirname, '..', '..', '..');
const read = (p: string) => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  patterns?: Rule[];
}

function allRules(grammar: { patterns: Rule[]; repository: Record<string, Rule> }): Rule[] {
  const out: Rule[] = [];
  const walk = (r: Rule) => {
    out.push(r);
    r.patterns?.forEach(walk);
  };
  grammar.patterns.forEach(walk);
  Object.values(grammar.repository).forEach(walk);
  return out;
}

test('package.json points at the grammar and configuration', () => {
  const pkg = read('package.json');
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'raspl');
  const grammar = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'raspl');
  assert.equal(lang.configuration, './language-configuration.json');
  assert.deepEqual(lang.extensions, ['.raspl']);
  assert.equal(grammar.scopeName, 'source.raspl');
  assert.equal(read(grammar.path).scopeName, 'source.raspl');
});

test('every grammar pattern compiles and the repository has no dangling includes', () => {
  const grammar = read('syntaxes/raspl.tmLanguage.json');
  for (const r of allRules(grammar)) {
    for (const re of [r.match, r.begin, r.end]) if (re !== undefined) assert.doesNotThrow(() => new RegExp(re), re);
  }
  const includes = JSON.stringify(grammar).match(/"include":\s*"#([\w-]+)"/g) ?? [];
  for (const inc of includes) assert.ok(grammar.repository[/#([\w-]+)/.exec(inc)![1]!], inc);
});

test('the grammar knows every directive and every built-in name', () => {
  const grammar = read('syntaxes/raspl.tmLanguage.json');
  const rules = allRules(grammar);
  const directive = new RegExp(grammar.repository.directive.begin);
  for (const kind of DIRECTIVE_KINDS) assert.ok(directive.test(`@${kind} x`), `@${kind}`);
  const named = rules.filter((r) => r.match !== undefined && r.name !== undefined && /^(support|variable\.language)/.test(r.name));
  for (const name of reservedNames()) {
    assert.ok(named.some((r) => new RegExp(`^(?:${r.match})$`).test(name)), `no highlighting rule for "${name}"`);
  }
  assert.ok(new RegExp(grammar.repository['block-header'].match).test('step:'));
  assert.ok(new RegExp(grammar.repository.def.match).test('def digit(num, i):'));
});

test('language configuration: # comments, brackets, indent after a colon', () => {
  const conf = read('language-configuration.json');
  assert.equal(conf.comments.lineComment, '#');
  assert.deepEqual(conf.brackets, [['(', ')'], ['[', ']']]);
  const indent = new RegExp(conf.indentationRules.increaseIndentPattern);
  for (const line of ['step:', 'pre:  # setup', 'def f(a, b=1):']) assert.ok(indent.test(line), line);
  assert.ok(!indent.test('x = f(a):'));
});
