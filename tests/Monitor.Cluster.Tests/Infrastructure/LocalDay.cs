using System.Globalization;

namespace Monitor.Cluster.Tests.Infrastructure;

/// <summary>
/// A local day of the force (Europe/London) some days back, at noon: each test stamps its events on a day of
/// its own, so tests sharing a cluster read figures only they wrote, and the servers' real clock keeps it within
/// the 7-day horizon.
/// </summary>
public sealed record LocalDay(DateTimeOffset Noon, string Label)
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static LocalDay DaysAgo(int days)
    {
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).Date;
        var noon = today.AddDays(-days).AddHours(12);
        return new LocalDay(new DateTimeOffset(noon, Zone.GetUtcOffset(noon)), noon.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
