/** Types of the lint rule in ./noLiteralUiText.js (plain JavaScript: eslint.config.js loads it without a build). */
import type { ESLint, Rule } from 'eslint';

export declare function isUiText(text: string): boolean;
export declare const noLiteralUiText: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
