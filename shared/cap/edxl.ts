import { isCapAlertElement, mapCapAlertElement } from './alert';
import type { ContainerResult } from './container';
import { issue, type CapIssue } from './verdict';
import { elementChildren, ownText, type XmlElement } from './xml';

/** OASIS EDXL-DE 1.0 (2006). */
export const EDXL_DE_NS = 'urn:oasis:names:tc:emergency:EDXL:DE:1.0';

const REQUIRED = ['distributionID', 'senderID', 'dateTimeSent', 'distributionStatus', 'distributionType', 'combinedConfidentiality'] as const;
const STATUS = ['Actual', 'Exercise', 'System', 'Test'];
const TYPES = ['Report', 'Update', 'Cancel', 'Request', 'Response', 'Dispatch', 'Ack', 'Error', 'SensorConfiguration', 'SensorControl', 'SensorStatus', 'SensorDetection'];

export const isEdxlDistribution = (el: XmlElement) => el.local === 'EDXLDistribution' && el.ns === EDXL_DE_NS;

/**
 * An EDXL-DE 1.0 distribution: the envelope is checked, and every CAP alert carried in
 * contentObject/xmlContent/embeddedXMLContent becomes one entry with its own verdict, so one
 * bad alert does not hide the good ones.
 */
export function readEdxlDistribution(root: XmlElement): ContainerResult {
  const errors: CapIssue[] = [];
  const warnings: CapIssue[] = [];
  const kids = elementChildren(root).filter((e) => e.ns === EDXL_DE_NS);
  const text = (name: string) => {
    const el = kids.find((e) => e.local === name);
    return el === undefined ? undefined : ownText(el).trim();
  };
  for (const name of REQUIRED) {
    if (!text(name)) errors.push(issue('EDXL_MISSING_ELEMENT', `The EDXL-DE envelope lacks the required <${name}>.`));
  }
  const status = text('distributionStatus');
  if (status && !STATUS.includes(status)) errors.push(issue('EDXL_INVALID_VALUE', `<distributionStatus> "${status.slice(0, 40)}" is not one of ${STATUS.join(', ')}.`));
  const type = text('distributionType');
  if (type && !TYPES.includes(type)) errors.push(issue('EDXL_INVALID_VALUE', `<distributionType> "${type.slice(0, 40)}" is not an EDXL-DE 1.0 distribution type.`));
  const distributionId = text('distributionID');

  const entries: ContainerResult['entries'] = [];
  let nonCap = 0;
  for (const co of kids.filter((e) => e.local === 'contentObject')) {
    const xmlContent = elementChildren(co).find((e) => e.ns === EDXL_DE_NS && e.local === 'xmlContent');
    if (xmlContent === undefined) {
      nonCap++;
      continue;
    }
    for (const embedded of elementChildren(xmlContent).filter((e) => e.ns === EDXL_DE_NS && e.local === 'embeddedXMLContent')) {
      for (const payload of elementChildren(embedded)) {
        if (!isCapAlertElement(payload)) {
          nonCap++;
          continue;
        }
        const verdict = mapCapAlertElement(payload);
        entries.push({ element: payload, verdict: { ...verdict, index: entries.length, ...(distributionId ? { entryId: distributionId } : {}) } });
      }
    }
  }
  if (nonCap > 0) warnings.push(issue('EDXL_NON_CAP_CONTENT', `${nonCap} content object(s) carry something other than a CAP alert; they are ignored.`));
  if (entries.length === 0) errors.push(issue('EDXL_NO_CAP', 'The EDXL-DE envelope carries no CAP alert.'));
  return { errors, warnings, entries };
}
