// The shapes the server sends (docs/api.md): the live snapshot, its pushes, alerts and the board status.

export interface PeriodFigure { start: string; label: string; value: number | null; sum: number; n: number; }
export interface MeasureTile {
  force: string; area: string; measure: string; version: number; asOf: string; changedAt: string | null;
  today: PeriodFigure; monthToDate: PeriodFigure; days: PeriodFigure[]; months: PeriodFigure[];
}
export interface CallQueue { force: string; channel: string; waiting: number; longestWaitingSince: string | null; asOf: string; changedAt: string | null; }
export interface OpenIncident { incidentId: string; district: string; grade: string; clockStart: string; targetMinutes: number; }
/** The area's longest open incidents of each grade (the server decides how many) and every open one counted by grade. */
export interface OpenIncidentsView { force: string; area: string; incidents: OpenIncident[]; openByGrade: Record<string, number>; asOf: string; changedAt: string | null; }
export interface MeasureSignalling { area: string; measure: string; kind: string; period: string; event: string; effect: string; value: number; }
export interface LiveSnapshot {
  force: string; area: string; areaName: string; asOf: string; storage: string;
  tiles: MeasureTile[]; queues: CallQueue[]; openIncidents: OpenIncident[]; openIncidentsByGrade: Record<string, number>;
  openIncidentsChangedAt: string | null; signalling: MeasureSignalling[]; incidentWarningBeforeMinutes: Record<string, number>;
}
export interface AlertNote { at: string; who: string; role: string; action: string; text: string; }
export interface Alert {
  id: string; key: { area: string; measure: string; rule: string }; source: string; state: string; severity: string;
  value: number | null; message: string; since: string | null; raisedAt: string; changedAt: string; escalation: string;
  acknowledgedBy: string | null; acknowledgedAt: string | null; shelvedUntil: string | null; notes: AlertNote[];
}
export interface AlertPush { force: string; alert: Alert; }
export interface BoardStatus { serverTime: string; degraded: boolean; problems: string[]; beatSeconds: number; }
export interface MeasureDescription { id: string; title: string; unit: string; aggregation: string; direction: string; target: number | null; periods: string[]; }
export interface AreaDescription { id: string; name: string; level: string; parent: string | null; }
export interface ForceDescription { id: string; name: string; timeZone: string; areas: AreaDescription[]; measures: MeasureDescription[]; }
export interface ChartPoint { period: string; value: number; cl: number | null; lcl: number | null; ucl: number | null; }
export interface Chart { points: ChartPoint[]; }
