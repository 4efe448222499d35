using Monitor.Domain.Events;

namespace Monitor.Domain.Tests.Support;

/// <summary>
/// Record equality compares list members by reference, so events carrying markers are compared field by field
/// for their markers and by value for everything else.
/// </summary>
internal static class EventAssert
{
    public static void Same(MonitorEvent expected, MonitorEvent? actual)
    {
        Assert.NotNull(actual);
        Assert.IsType(expected.GetType(), actual);
        switch (expected, actual)
        {
            case (CrimeRecorded e, CrimeRecorded a):
                Assert.Equal(e.Markers, a.Markers);
                Assert.Equal(e, a with { Markers = e.Markers });
                break;
            case (IncidentRecorded e, IncidentRecorded a):
                Assert.Equal(e.Markers, a.Markers);
                Assert.Equal(e, a with { Markers = e.Markers });
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
