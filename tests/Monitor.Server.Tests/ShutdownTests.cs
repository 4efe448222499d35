using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Monitor.Abstractions;
using Monitor.Domain.Measures;
using Monitor.Grains.Storage;
using Monitor.Server.Hosting;
using Monitor.Server.Tests.Infrastructure;

namespace Monitor.Server.Tests;

/// <summary>
/// Graceful shutdown: a batch in flight when the process starts stopping is stored and acknowledged; the
/// batches after it are refused with 503 (acknowledging nothing) until the process is gone.
/// </summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_batch_in_flight_at_shutdown_is_acknowledged_and_the_next_is_refused_with_503()
    {
        using var app = new GatedAppFactory();
        using var feed = app.CreateMetricsFeedClient();
        var api = new MonitorApi(feed);
        var at = app.Now.AddMinutes(-5);

        try
        {
            // The batch reaches storage and is held there, as a slow Redis write would hold it.
            app.Journal.Hold();
            var inFlight = api.Post(Events.Array([Events.Crime("shutdown-1", "rugby", "bicycle-theft", at)]));
            await app.Journal.Held.WaitAsync(Deadline);

            var host = app.Services.GetRequiredService<IHost>();
            var drain = app.Services.GetRequiredService<IngestDrain>();
            var stopping = host.StopAsync();
            await Poll.Until(() => Task.FromResult(drain.Draining), Deadline, "ingest to start draining");

            // While draining, the process still answers: the next batch is refused, and it is not ready.
            using (var next = await api.Post(Events.Array([Events.Crime("shutdown-2", "rugby", "bicycle-theft", at)])))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, next.StatusCode);
                Assert.NotNull(next.Headers.RetryAfter);
            }

            using (var ready = await app.CreateClient().GetAsync("/readyz"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            }

            Assert.False(stopping.IsCompleted, "the host stopped with a batch still in flight");
            app.Journal.Release();

            using var first = await inFlight.WaitAsync(Deadline);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var answer = await MonitorApi.ReadJson(first);
            Assert.Equal(1, (int)answer["accepted"]!);
            var stored = app.Journal.AppendedFacts;
            Assert.True(stored > 0, "the acknowledged batch was not stored");

            // The refused batch reached no grain: nothing was stored after the acknowledged one.
            await stopping.WaitAsync(Deadline);
            Assert.Equal(stored, app.Journal.AppendedFacts);
        }
        finally
        {
            // A failed assertion must not leave the host's shutdown waiting on the held write.
            app.Journal.Release();
        }
    }

    /// <summary>The real in-memory journal, which can hold appends until released.</summary>
    public sealed class GatedJournal : IMeasureJournal
    {
        private readonly InMemoryMeasureJournal _inner = new();
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _appendedFacts;
        private volatile bool _holding;

        public Task Held => _held.Task;

        public bool IsDurable => _inner.IsDurable;

        public void Hold() => _holding = true;

        public void Release() => _released.TrySetResult();

        public int AppendedFacts => Volatile.Read(ref _appendedFacts);

        public Task<StoredMeasure> LoadAsync(string grainKey) => _inner.LoadAsync(grainKey);

        public async Task AppendAsync(string grainKey, MeasureBatch counted)
        {
            if (_holding)
            {
                _held.TrySetResult();
                await _released.Task;
            }

            await _inner.AppendAsync(grainKey, counted);
            Interlocked.Add(ref _appendedFacts, counted.Length);
        }

        public Task<bool> SaveSnapshotAsync(string grainKey, MeasureSeriesSnapshot snapshot, int coveredBatches) =>
            _inner.SaveSnapshotAsync(grainKey, snapshot, coveredBatches);

        public Task PingAsync() => _inner.PingAsync();
    }

    private sealed class GatedAppFactory : TelemetryAppFactory
    {
        public GatedJournal Journal { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IMeasureJournal>(Journal));
        }
    }
}
