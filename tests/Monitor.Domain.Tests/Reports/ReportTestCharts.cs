using Monitor.Domain.Measures;
using Monitor.Domain.Periods;
using Monitor.Domain.Spc;
using Monitor.Domain.Tests.Support;

namespace Monitor.Domain.Tests.Reports;

/// <summary>Monthly charts as the measure grains build them: counts through the real SPC engine, monthly options.</summary>
internal static class ReportTestCharts
{
    public static MeasureChartView Monthly(int year, int month, params double[] counts)
    {
        var calendar = Warwickshire.Force.Calendar;
        var period = calendar.PeriodOf(PeriodKind.Month, calendar.StartOfDay(new DateOnly(year, month, 1)));
        var periods = new List<ChartedPeriod>();
        foreach (var count in counts)
        {
            periods.Add(new ChartedPeriod(period, count, count, (long)count));
            period = calendar.Next(period);
        }

        var chart = SpcEngine.Compute(new ChartInput(ChartKind.Xmr, counts) { Options = SpcOptions.Default with { Rebaseline = true } });
        return new MeasureChartView(PeriodKind.Month, periods, chart, new OpenPeriod(period, null, 0, 0, 0, null));
    }

    /// <summary>Total recorded crime as the server test's fixture holds it (ReportData/build_fixture.py): Oct 2016 to Sep 2017.</summary>
    public static double[] TotalCrimeFixture { get; } =
        [3233, 3233, 3233, 3233, 3232, 3232, 3569, 3569, 3568, 3650, 3766, 3670];
}
