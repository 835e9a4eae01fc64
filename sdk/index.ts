/**
 * The indomain SDK: what a partner imports to write a product. Nothing here reaches the
 * runtime: products are bundled with this SDK and run inside the sandbox.
 */
export { defineProduct } from './product.ts'
export type { ApiProduct, BatchProduct, EncryptedAggregate, Product, ProductKind, ProductCategory, ProductManifest, ScenarioRequest, ScenarioTable } from './product.ts'
export type { AggregateSpec, Contribution, Dimension, Measure, ReleasedAggregate, ReleasedCell, ReleasedContext, ReleasedRow, RowField, RowSpec, UnitContributions } from './release.ts'
export { t } from './schema.ts'
export type { Infer, Schema, ObjectSchema, StringSchema, NumberSchema, ArraySchema, BooleanSchema, NullableSchema } from './schema.ts'
export { NULL_DAY } from './context.ts'
export type { Cell, Row, EntityContext, ColumnChunk, TextColumn } from './context.ts'
export { ProductError } from './errors.ts'
export { monthIndex, monthsBetween, monthsSince, periodRange, gapSummary, bucketize, clamp, scorecard, grade } from './scoring.ts'
export type { GapSummary, Characteristic, ScorecardResult } from './scoring.ts'
