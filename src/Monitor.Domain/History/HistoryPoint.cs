using Monitor.Domain.Measures;

namespace Monitor.Domain.History;

/// <summary>One period's imported total for a measure in an area: the sum and count behind its figure.</summary>
public sealed record HistoryPoint(PeriodKind Kind, DateTimeOffset Start, double Sum, long N);
