/**
 * Validation of a field policy an administrator sets: the coordinate must exist, conditional
 * and not-shared fields must cite their legal basis (R1), purposes must be registered, a row
 * condition must name an attribute a subgraph exposes. A row class (`Licence[kind=…]`) is set
 * like a field; it takes no row condition. Each problem is a sentence saying what was expected,
 * what was received, and what to do.
 */
import { SHARING_CLASSES, parseRowCoordinate, type PolicyOverride } from './model.ts';
import type { FieldUnderPolicy } from './fieldsUnderPolicy.ts';

export interface ValidationContextData {
  readonly fields: readonly FieldUnderPolicy[];
  readonly purposes: readonly string[];
  /** Row attributes the subgraphs expose for row conditions. */
  readonly rowAttributes: readonly string[];
}

export function validateOverride(override: PolicyOverride, context: ValidationContextData): string[] {
  const problems: string[] = [];
  const row = parseRowCoordinate(override.coordinate);
  if (row) {
    // Row classes ride on their classifying field (see fieldsUnderPolicy's RowClassDefault).
    const classifying = context.fields.find((f) => f.typeName === row.typeName && f.fieldName === row.field);
    if (!classifying?.rowClasses?.some((r) => r.coordinate === override.coordinate)) {
      const declared = context.fields.filter((f) => f.typeName === row.typeName).flatMap((f) => (f.rowClasses ?? []).map((r) => r.coordinate));
      problems.push(
        `${JSON.stringify(override.coordinate)} is not a row class of the supergraph` +
          (declared.length ? `; row classes of ${row.typeName}: ${declared.join(', ')}` : `; ${row.typeName} declares none (a provider declares one with @rowClass on the classifying field)`),
      );
      return problems;
    }
    if (override.condition) problems.push(`a row class takes no row condition: ${override.coordinate} already is one; leave condition empty`);
    return [...problems, ...classProblems(override, context)];
  }
  const field = context.fields.find((f) => f.coordinate === override.coordinate);
  if (!field) {
    const [typeName] = override.coordinate.split('.');
    const near = context.fields.filter((f) => f.typeName === typeName).map((f) => f.coordinate).slice(0, 12);
    problems.push(
      `${JSON.stringify(override.coordinate)} is not a field of the supergraph` +
        (near.length ? `; fields of ${typeName}: ${near.join(', ')}` : '; write it as Type.field, e.g. Person.householdAddress'),
    );
    return problems;
  }
  if (field.isKey) problems.push(`${override.coordinate} is a key field: it identifies records across departments and stays unconditional`);
  problems.push(...classProblems(override, context));
  if (override.condition) {
    if (override.condition.kind !== 'CONSUMER_JURISDICTION') problems.push(`unknown row condition ${JSON.stringify(override.condition.kind)}; known: CONSUMER_JURISDICTION`);
    else if (!context.rowAttributes.includes(override.condition.attribute)) {
      problems.push(`row condition attribute ${JSON.stringify(override.condition.attribute)} is not exposed by any subgraph; exposed: ${context.rowAttributes.join(', ') || 'none'}`);
    } else if (override.condition.attribute.split('.')[0] !== field.typeName) {
      problems.push(`row condition attribute ${override.condition.attribute} belongs to another type than ${override.coordinate}`);
    }
  }
  return problems;
}

/** Class, legal basis (R1) and purposes: the same for fields and row classes. */
function classProblems(override: PolicyOverride, context: ValidationContextData): string[] {
  const problems: string[] = [];
  if (!(SHARING_CLASSES as readonly string[]).includes(override.sharingClass)) {
    problems.push(`sharing class must be one of ${SHARING_CLASSES.join(', ')}, received ${JSON.stringify(override.sharingClass)}`);
  }
  if (override.sharingClass !== 'UNCONDITIONAL' && !override.basis?.trim()) {
    // R1: conditional and not-shared resources need a cited legal basis.
    problems.push(`${override.sharingClass} fields need a legal basis (R1): cite the law and article that restricts ${override.coordinate}`);
  }
  const unknown = override.purposes.filter((p) => !context.purposes.includes(p));
  if (unknown.length) problems.push(`unknown purposes ${unknown.join(', ')}; registered: ${context.purposes.join(', ')}`);
  if (override.sharingClass === 'NOT_SHARED' && override.purposes.length) problems.push('a NOT_SHARED field is read for no purpose: leave purposes empty');
  return problems;
}
