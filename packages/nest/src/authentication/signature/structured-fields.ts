/**
 * The one place that imports the RFC 8941 structured-field parser (`structured-headers`), so the rest of the
 * signature code depends on these names only.
 */
export { parseDictionary, parseItem, parseList, serializeDictionary, serializeInnerList, serializeItem, serializeList, Token } from 'structured-headers';
export type { BareItem, Dictionary, InnerList, Item, List, Parameters } from 'structured-headers';
