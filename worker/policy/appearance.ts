import type { WidgetInfo } from '../pdf/types';
import type { Finding, SignerKind } from '../report';
import { finding } from './messages';

/**
 * ND 30/2020 Phụ lục I on how two-layer signatures look: the leader's signature shows the (blue) signature
 * image; the agency's shows the red seal covering about the left third of the leader's image on the same page;
 * an attachment in its own file carries only the agency signature, with no image. These are warnings for the
 * clerk: they never change the verdict.
 */
export interface AppearanceInput {
  index: number;
  kind: SignerKind;
  integrity: boolean;
  revision: number | null;
  timestamp: boolean;
  widgets: WidgetInfo[];
}

type Rect = [number, number, number, number];

function norm(r: Rect): Rect {
  return [Math.min(r[0], r[2]), Math.min(r[1], r[3]), Math.max(r[0], r[2]), Math.max(r[1], r[3])];
}

function intersects(a: Rect, b: Rect): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/** The left third of a rectangle: where the seal should sit on the leader's signature. */
function leftThird(r: Rect): Rect {
  const n = norm(r);
  return [n[0], n[1], n[0] + (n[2] - n[0]) / 3, n[3]];
}

export function appearanceFindings(sigs: AppearanceInput[]): Finding[] {
  const out: Finding[] = [];
  const approvals = sigs.filter((s) => !s.timestamp && s.integrity);
  const personal = approvals.filter((s) => s.kind === 'personal');
  const organization = approvals.filter((s) => s.kind === 'organization');
  for (const p of personal) {
    if (!p.widgets.some((w) => w.hasImage)) out.push(finding('LEADER_SIGNATURE_NO_IMAGE', {}, p.index));
  }
  if (personal.length === 0) {
    for (const o of organization) if (o.widgets.some((w) => w.hasImage)) out.push(finding('ATTACHMENT_SIGNATURE_HAS_IMAGE', {}, o.index));
    return out;
  }
  for (const o of organization) {
    const earlier = personal.filter((p) => (p.revision ?? -1) < (o.revision ?? -1));
    if (earlier.length === 0) continue;
    const seals = o.widgets.filter((w) => w.hasImage);
    if (seals.length === 0) {
      out.push(finding('AGENCY_SEAL_NO_IMAGE', {}, o.index));
      continue;
    }
    const leaderImages = earlier.flatMap((p) => p.widgets.filter((w) => w.hasImage && w.rect !== null));
    if (leaderImages.length === 0) continue; // the leader's missing image is already reported
    const overlaps = seals.some(
      (s) => s.rect !== null && leaderImages.some((l) => l.page === s.page && intersects(norm(s.rect!), leftThird(l.rect!))),
    );
    if (!overlaps) out.push(finding('AGENCY_SEAL_NOT_OVER_LEADER', {}, o.index));
  }
  return out;
}
