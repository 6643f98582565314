/** GeneralName / GeneralNames (RFC 5280 4.2.1.6): the kinds this project reads; others are kept as 'other'. */
import { Asn1, Asn1Error, Tag } from '../asn1/der';
import { Name } from './name';

export type GeneralName =
  | { kind: 'email'; value: string }
  | { kind: 'dns'; value: string }
  | { kind: 'uri'; value: string }
  | { kind: 'directory'; name: Name }
  | { kind: 'other'; tag: number };

/**
 * `node` is a GeneralNames SEQUENCE, or with `implicit` a context-tagged element whose contents are the
 * GeneralName elements (e.g. DistributionPointName.fullName [0] IMPLICIT GeneralNames).
 */
export function parseGeneralNames(node: Asn1, implicit = false): GeneralName[] {
  if (!implicit) node.expect(Tag.SEQUENCE, 'GeneralNames');
  else if (!node.constructed) throw new Asn1Error('GeneralNames must be constructed', node.start);
  return node.children().map(parseGeneralName);
}

export function parseGeneralName(n: Asn1): GeneralName {
  if (n.tagClass !== 2) throw new Asn1Error(`GeneralName: unexpected ${n.describe()}`, n.start);
  switch (n.tagNumber) {
    case 1:
    case 2:
    case 6: {
      if (n.constructed) throw new Asn1Error('GeneralName string must be primitive', n.start);
      const value = n.content.toString('latin1');
      return { kind: n.tagNumber === 1 ? 'email' : n.tagNumber === 2 ? 'dns' : 'uri', value };
    }
    case 4:
      // Name is a CHOICE, so the [4] tag is explicit.
      return { kind: 'directory', name: Name.fromNode(n.explicitInner('directoryName')) };
    default:
      return { kind: 'other', tag: n.tagNumber };
  }
}
