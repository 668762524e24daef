// ESLint rule `govgraph/no-literal-ui-text` (issue 17): the console's texts live in the message
// catalogues (./defineMessages.ts), in Chinese and English, never as literals in JSX. It reports
// JSX text, and string literals given to the attributes people read (title, label, placeholder,
// aria-label, the shared components' header/hint/empty/what…), that contain a Chinese character
// or an English word. Codes, coordinates (`Person.name`), units and punctuation pass (`HTTP`,
// `ms`, `—`, `·`); so do decorative elements hidden from readers (aria-hidden, e.g. the 政 mark).

/** Attributes whose string value a person reads. */
const READ_ATTRIBUTES = new Set(['title', 'label', 'placeholder', 'alt', 'aria-label', 'blank', 'what', 'empty', 'hint', 'header', 'caption', 'confirmLabel', 'reasonLabel', 'reasonRequired', 'errorTitle']);

/** Whether a text is words for people (Chinese, or an English word of 3+ letters), not a code. */
export function isUiText(text) {
  if (/[\u3400-\u9fff\uf900-\ufaff]/.test(text)) return true;
  const words = text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b/g, ' '); // coordinates, Person.name
  return /(^|[^A-Za-z_.@$-])[A-Za-z][a-z]{2,}(?![\w-])/.test(words);
}

function hiddenFromReaders(node) {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'JSXElement' && p.openingElement.attributes.some((a) => a.type === 'JSXAttribute' && a.name.name === 'aria-hidden')) return true;
  }
  return false;
}

export const noLiteralUiText = {
  meta: {
    type: 'problem',
    docs: { description: 'UI texts come from the message catalogues (web/console/i18n), in zh-CN and en' },
    schema: [],
    messages: { literal: 'Literal UI text "{{text}}": put it in the page\'s message catalogue (defineMessages, zh-CN and en) and use t(\'key\').' },
  },
  create(context) {
    const report = (node, text) => context.report({ node, messageId: 'literal', data: { text: text.trim().slice(0, 40) } });
    return {
      JSXText(node) {
        if (isUiText(node.value) && !hiddenFromReaders(node)) report(node, node.value);
      },
      JSXAttribute(node) {
        const value = node.value;
        const name = typeof node.name.name === 'string' ? node.name.name : '';
        if (!READ_ATTRIBUTES.has(name) || !value) return;
        const literal = value.type === 'Literal' ? value
          : value.type === 'JSXExpressionContainer' && value.expression.type === 'Literal' ? value.expression : null;
        if (literal && typeof literal.value === 'string' && isUiText(literal.value)) report(literal, literal.value);
      },
    };
  },
};

export default { rules: { 'no-literal-ui-text': noLiteralUiText } };
