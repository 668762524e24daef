/** Resolvers for the scalars every subgraph declares in its SDL (see federation.ts). */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize(value) {
    if (typeof value === 'string' && DATE.test(value)) return value;
    throw new GraphQLError(`Date cannot represent ${JSON.stringify(value)}: expected YYYY-MM-DD`);
  },
  parseValue(value) {
    if (typeof value === 'string' && DATE.test(value)) return value;
    throw new GraphQLError(`Date expects a string YYYY-MM-DD, received ${JSON.stringify(value)}`);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING && DATE.test(ast.value)) return ast.value;
    throw new GraphQLError('Date expects a string literal YYYY-MM-DD', { nodes: ast });
  },
});

export const GeoJSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'GeoJSON',
  serialize: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
  parseValue: (value) => value,
  parseLiteral() {
    throw new GraphQLError('GeoJSON is an output type only');
  },
});

export const scalarResolvers = { Date: DateScalar, GeoJSON: GeoJSONScalar };
