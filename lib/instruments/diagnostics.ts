/**
 * The instrument panel in one import: the measures (measures.ts) and the rules that read them
 * (diagnose.ts). Kept so that code written against this module's name keeps working.
 */
export * from './diagnose.ts'
export * from './measures.ts'
