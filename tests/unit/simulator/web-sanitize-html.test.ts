/** The web view's HTML sanitiser: what survives, what is dropped, and the tricks it must not fall for. */
import { escapeHtml, hrefs, pathSegments } from '../../../simulator/web/html';
import { sanitizeCss, sanitizeHtml } from '../../../simulator/web/sanitize-html';

test('keeps formatting markup and re-serialises attributes escaped', () => {
  expect(sanitizeHtml('<P ALIGN=center>Hi <b>there</b> &amp; <i title="a&quot;b">you</i></P>')).toBe(
    '<p align="center">Hi <b>there</b> &amp; <i title="a&quot;b">you</i></p>',
  );
  expect(sanitizeHtml('<table border=1><tr><td colspan="2">x</td></tr></table>')).toBe(
    '<table border="1"><tr><td colspan="2">x</td></tr></table>',
  );
});

test('drops scripts, frames and embedded documents with their content', () => {
  expect(sanitizeHtml('a<script>alert(1)</script>b<SCRIPT type="x">x</SCRIPT >c')).toBe('abc');
  expect(sanitizeHtml('a<iframe src="https://x"></iframe>b<noscript><p>n</p></noscript>c')).toBe('abc');
  expect(sanitizeHtml('a<svg><svg></svg><script>x</script></svg>b<object data="x"><p>o</p></object>c')).toBe(
    'abc',
  );
  expect(sanitizeHtml('a<title>t</title><template><img src=x onerror=alert(1)></template>b')).toBe('ab');
  expect(sanitizeHtml('before<plaintext>everything after')).toBe('before');
});

test('drops event handlers, unknown attributes and unsafe URLs', () => {
  expect(sanitizeHtml('<img src="x" onerror="alert(1)" alt="a">')).toBe('<img alt="a">');
  expect(sanitizeHtml('<a href="javascript:alert(1)" onclick="x()">j</a>')).toBe(
    '<a rel="noopener noreferrer" target="_blank">j</a>',
  );
  expect(sanitizeHtml('<a href="jav&#x61;script:alert(1)">j</a>')).not.toContain('href');
  expect(sanitizeHtml('<a href=" java\tscript:alert(1)">j</a>')).not.toContain('href');
  expect(sanitizeHtml('<a href="https://example.com/?a=1&amp;b=2">l</a>')).toBe(
    '<a href="https://example.com/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">l</a>',
  );
  expect(sanitizeHtml('<img src="https://tracker.example/p.gif">')).toBe('<img>');
  expect(sanitizeHtml('<img src="data:image/png;base64,iVBORw0KGgo=">')).toBe(
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
  );
  expect(sanitizeHtml('<img src="data:text/html;base64,PHNjcmlwdD4=">')).toBe('<img>');
  expect(sanitizeHtml('<img src="cid:logo@x">')).toBe('<img src="cid:logo@x">');
  expect(sanitizeHtml('<div id="x" class="c" style="color:red">d</div>')).toBe(
    '<div style="color:red">d</div>',
  );
});

test('comments, doctypes and broken markup cannot smuggle tags', () => {
  expect(sanitizeHtml('<!DOCTYPE html><!-- <script>x</script> -->ok')).toBe('ok');
  expect(sanitizeHtml('a < b > c')).toBe('a &lt; b &gt; c');
  expect(sanitizeHtml('<b title="x>y">z</b>')).toBe('<b title="x&gt;y">z</b>');
  expect(sanitizeHtml("<b title='\"><script>'>z</b>")).toBe('<b title="&quot;&gt;&lt;script&gt;">z</b>');
  expect(
    sanitizeHtml(
      '<html><head><meta http-equiv="refresh" content="0;url=x"><link rel=stylesheet href=x>' +
        '</head><body>b</body></html>',
    ),
  ).toBe('b');
  expect(sanitizeHtml('<b')).toBe('');
});

test('CSS keeps styling but not loads, imports, expressions or escapes', () => {
  expect(
    sanitizeHtml('<style>@import url(https://x/y.css); p{color:red;background:url(https://x/t.gif)}</style>'),
  ).toBe('<style> p{color:red;background:none}</style>');
  expect(sanitizeCss('background:url("data:image/png;base64,AAAA")')).toBe(
    'background:url("data:image/png;base64,AAAA")',
  );
  expect(sanitizeCss('width:expression(alert(1));x:\\75rl(https://x)')).toBe(
    'width:alert(1));x:75rl(https://x)',
  );
  expect(sanitizeHtml('<style>p{}</style ><p>x</p>')).toBe('<style>p{}</style><p>x</p>');
});

test('escaping and URLs of the pages', () => {
  expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  expect(hrefs.item('a b@x.test', 'AAMk/+=')).toBe('/mailboxes/a%20b%40x.test/items/AAMk%2F%2B%3D');
  expect(pathSegments('/mailboxes/a%20b%40x.test/items/AAMk%2F%2B%3D')).toEqual([
    'mailboxes',
    'a b@x.test',
    'items',
    'AAMk/+=',
  ]);
  expect(pathSegments('/mailboxes/%E0%A4%A')).toBeUndefined();
});

test('odd attribute syntax is tokenised like a browser does', () => {
  expect(sanitizeHtml('<b "x" =y title=t>z</b>')).toBe('<b title="t">z</b>');
  expect(sanitizeHtml('<b title="unclosed>z</b>')).toBe('');
  expect(sanitizeHtml('<img/src="x"/onerror=alert(1)>')).toBe('<img>');
});
