import PDFDocument from 'pdfkit';
import type { Framework, FindingStatus, Waiver } from '@racine/plugin-compliance-common';
import type { ComplianceStore, FindingRow } from '../database/ComplianceStore';
import type { FrameworkCatalog } from './FrameworkCatalog';

/** RFC 4180 field: quoted when needed; formula-looking text is prefixed so spreadsheets do not run it. */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export type RequirementStatus = 'compliant' | 'compliant-with-waivers' | 'non-compliant';

export interface ReportFinding extends FindingRow {
  statusAsOf: FindingStatus;
  waiver: Waiver | null;
}

export interface FrameworkReport {
  framework: Framework;
  asOf: string;
  requirements: Array<{
    id: string;
    title: string;
    reference: string;
    ruleIds: string[];
    status: RequirementStatus;
    open: number;
    waived: number;
    findings: ReportFinding[];
  }>;
}

export const REPORT_CSV_HEADER = [
  'framework',
  'framework_version',
  'as_of',
  'requirement_id',
  'requirement',
  'reference',
  'requirement_status',
  'rule_id',
  'finding_id',
  'asset_ref',
  'finding_status',
  'severity',
  'owner',
  'due_at',
  'evidence',
  'waiver_reason',
  'waiver_expires_at',
  'waiver_approved_by',
];

export const AUDIT_CSV_HEADER = [
  'at',
  'kind',
  'finding_id',
  'rule_id',
  'asset_ref',
  'from_status',
  'to_status',
  'actor',
  'note',
];

/**
 * Framework reports as of a date (requirement status, evidence and waivers, rebuilt from the
 * findings' event history) in CSV and PDF, and the compliance audit trail export.
 */
export class ReportService {
  constructor(
    private readonly store: ComplianceStore,
    private readonly frameworks: FrameworkCatalog,
  ) {}

  async build(frameworkId: string, asOf: string): Promise<FrameworkReport> {
    const framework = await this.frameworks.get(frameworkId);
    const ruleIds = [...new Set(framework.requirements.flatMap(r => r.ruleIds))];
    const findings = (await this.store.findingsAsOf(ruleIds, asOf)).filter(
      f => f.statusAsOf !== 'resolved',
    );
    const waivers = await this.store.listWaivers({ limit: 100_000 });
    const waiverOf = (f: FindingRow): Waiver | null =>
      waivers.find(
        w =>
          w.findingId === f.id &&
          w.status !== 'pending' &&
          w.status !== 'rejected' &&
          (w.decidedAt ?? '') <= asOf,
      ) ?? null;
    return {
      framework,
      asOf,
      requirements: framework.requirements.map(r => {
        const mine = findings
          .filter(f => r.ruleIds.includes(f.ruleId))
          .map(f => ({ ...f, waiver: f.statusAsOf === 'waived' ? waiverOf(f) : null }));
        const open = mine.filter(
          f => f.statusAsOf === 'open' || f.statusAsOf === 'acknowledged',
        ).length;
        const waived = mine.filter(f => f.statusAsOf === 'waived').length;
        return {
          id: r.id,
          title: r.title,
          reference: r.reference,
          ruleIds: r.ruleIds,
          status: open > 0 ? 'non-compliant' : waived > 0 ? 'compliant-with-waivers' : 'compliant',
          open,
          waived,
          findings: mine,
        };
      }),
    };
  }

  toCsv(report: FrameworkReport): string {
    let out = csvLine(REPORT_CSV_HEADER);
    const { framework, asOf } = report;
    for (const r of report.requirements) {
      const base = [framework.id, framework.version, asOf, r.id, r.title, r.reference, r.status];
      if (r.findings.length === 0) {
        out += csvLine([...base, r.ruleIds.join(' '), '', '', '', '', '', '', '', '', '', '']);
        continue;
      }
      for (const f of r.findings)
        out += csvLine([
          ...base,
          f.ruleId,
          f.id,
          f.assetRef,
          f.statusAsOf,
          f.severity,
          f.owner ?? '',
          f.dueAt,
          f.evidence,
          f.waiver?.reason ?? '',
          f.waiver?.expiresAt ?? '',
          f.waiver?.decidedBy ?? '',
        ]);
    }
    return out;
  }

  async toPdf(report: FrameworkReport): Promise<Buffer> {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 48,
      info: { Title: `${report.framework.name} compliance report` },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    const { framework } = report;
    doc.fontSize(18).text(`${framework.name} ${framework.version} compliance report`);
    doc.moveDown(0.3).fontSize(10).fillColor('#555').text(`As of ${report.asOf}`);
    const open = report.requirements.reduce((n, r) => n + r.open, 0);
    const waived = report.requirements.reduce((n, r) => n + r.waived, 0);
    const compliant = report.requirements.filter(r => r.status !== 'non-compliant').length;
    doc.text(
      `Requirements met: ${compliant} of ${report.requirements.length}. Open findings: ${open}. Waived findings: ${waived}.`,
    );
    doc.fillColor('#000').moveDown();
    doc.fontSize(13).text('Requirements');
    for (const r of report.requirements) {
      doc
        .moveDown(0.4)
        .fontSize(10)
        .text(`${r.id}  ${r.title} (${r.reference})`, { continued: false });
      doc
        .fontSize(9)
        .fillColor(r.status === 'non-compliant' ? '#b00020' : '#1b5e20')
        .text(
          `Status: ${r.status}; open ${r.open}, waived ${r.waived}; rules: ${r.ruleIds.join(', ')}`,
        );
      doc.fillColor('#000');
    }
    const MAX = 500;
    const all = report.requirements.flatMap(r => r.findings.map(f => ({ r, f })));
    const seen = new Set<string>();
    const findings = all.filter(({ f }) => !seen.has(f.id) && seen.add(f.id));
    doc.addPage().fontSize(13).text('Findings and evidence');
    for (const { f } of findings.slice(0, MAX)) {
      doc
        .moveDown(0.4)
        .fontSize(9)
        .text(`#${f.id} [${f.severity}] ${f.statusAsOf}: ${f.ruleId} on ${f.assetRef}`);
      doc
        .fontSize(8)
        .fillColor('#444')
        .text(`Owner: ${f.owner ?? 'none'}; due ${f.dueAt}; first seen ${f.firstSeenAt}`);
      const evidence = f.evidence as {
        labels?: Array<{ classifierId: string }>;
        dataSource?: { name?: string; environment?: string | null } | null;
      };
      const parts: string[] = [];
      if (evidence.labels?.length)
        parts.push(`labels ${evidence.labels.map(l => l.classifierId).join(', ')}`);
      if (evidence.dataSource)
        parts.push(
          `data source ${evidence.dataSource.name ?? ''} (${evidence.dataSource.environment ?? 'no environment'})`,
        );
      if (parts.length) doc.text(`Evidence: ${parts.join('; ')}`);
      if (f.waiver)
        doc.text(
          `Waiver: ${f.waiver.reason} (approved by ${f.waiver.decidedBy ?? '?'}, expires ${f.waiver.expiresAt})`,
        );
      doc.fillColor('#000');
    }
    if (findings.length > MAX)
      doc
        .moveDown()
        .fontSize(9)
        .text(`… and ${findings.length - MAX} more findings (see the CSV report).`);
    doc.end();
    return done;
  }

  /** The compliance audit trail: every finding transition and waiver decision, in time order. */
  async auditTrail(options: {
    since?: string;
    until?: string;
  }): Promise<Array<Record<string, string>>> {
    const events = await this.store.findingEvents({ since: options.since, until: options.until });
    const waivers = await this.store.listWaivers({ limit: 100_000 });
    const inRange = (at: string) =>
      (!options.since || at >= options.since) && (!options.until || at <= options.until);
    const rows: Array<Record<string, string>> = events.map(e => ({
      at: e.at,
      kind: 'finding',
      finding_id: e.findingId,
      rule_id: e.ruleId,
      asset_ref: e.assetRef,
      from_status: e.fromStatus ?? '',
      to_status: e.toStatus,
      actor: e.actor,
      note: e.note ?? '',
    }));
    for (const w of waivers) {
      if (inRange(w.requestedAt))
        rows.push({
          at: w.requestedAt,
          kind: 'waiver.requested',
          finding_id: w.findingId,
          rule_id: w.ruleId,
          asset_ref: w.assetRef,
          from_status: '',
          to_status: 'pending',
          actor: w.requestedBy,
          note: `${w.reason} (until ${w.expiresAt})`,
        });
      if (w.decidedAt && inRange(w.decidedAt))
        rows.push({
          at: w.decidedAt,
          kind: `waiver.${w.status === 'rejected' ? 'rejected' : 'approved'}`,
          finding_id: w.findingId,
          rule_id: w.ruleId,
          asset_ref: w.assetRef,
          from_status: 'pending',
          to_status: w.status === 'rejected' ? 'rejected' : 'approved',
          actor: w.decidedBy ?? '',
          note: w.decisionNote ?? '',
        });
    }
    return rows.sort((a, b) => a.at!.localeCompare(b.at!));
  }

  auditTrailCsv(rows: Array<Record<string, string>>): string {
    return (
      csvLine(AUDIT_CSV_HEADER) +
      rows.map(r => csvLine(AUDIT_CSV_HEADER.map(h => r[h] ?? ''))).join('')
    );
  }
}
