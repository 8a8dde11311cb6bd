export * from './verdict';
export { parseCapDocument, parseCapBytes, type ParsedCapDocument, type CapParseOptions } from './document';
export { mapCapAlertElement, CAP_NAMESPACES, XMLDSIG_NS } from './alert';
export { usgsFeedToAlerts, usgsFeatureToVerdict, usgsSeverity, capDateTimeUtc, USGS_SENDER } from './usgs';
export { readAtomFeed, readRssFeed, ATOM_NS } from './feeds';
export { readEdxlDistribution, EDXL_DE_NS } from './edxl';
export { decodeXmlBytes, parseXml, serializeElement, DEFAULT_MAX_BYTES, XmlRejected, type XmlElement, type XmlNode, type XmlLimits } from './xml';
export { checkCapDateTime, parseReferences, parsePolygon, parseCircle, isAnyUri } from './rules';
