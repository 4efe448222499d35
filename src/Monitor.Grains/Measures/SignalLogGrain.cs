using Monitor.Domain.Measures;

namespace Monitor.Grains.Measures;

[GenerateSerializer]
public sealed class SignalLogState
{
    [Id(0)]
    public SignalLog Log { get; set; } = new();
}

/// <summary>One measure's immutable signal log (key as the measure's): each signal raised once, persisted.</summary>
public interface ISignalLogGrain : IGrainWithStringKey
{
    Task<IReadOnlyList<RaisedSignal>> Record(PeriodKind kind, DateTimeOffset latestClosed, IReadOnlyList<RaisedSignal> candidates);

    Task<IReadOnlyList<RaisedSignal>> GetRaised();
}

[GrainType("signal-log")]
public sealed class SignalLogGrain([PersistentState("signals")] IPersistentState<SignalLogState> state) : Grain, ISignalLogGrain
{
    public async Task<IReadOnlyList<RaisedSignal>> Record(PeriodKind kind, DateTimeOffset latestClosed, IReadOnlyList<RaisedSignal> candidates)
    {
        var raised = state.State.Log.Record(kind, latestClosed, candidates);
        if (state.State.Log.EvaluatedThrough.GetValueOrDefault(kind) == latestClosed)
        {
            await state.WriteStateAsync();
        }

        return raised;
    }

    public Task<IReadOnlyList<RaisedSignal>> GetRaised() => Task.FromResult<IReadOnlyList<RaisedSignal>>([.. state.State.Log.Raised]);
}
