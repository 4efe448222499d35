using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Monitor.Cli.Commands;
using Monitor.Domain.Events;

namespace Monitor.Cluster.Tests.Infrastructure;

/// <summary>One request the feed made: to which process, when it went and came back, and how it ended.</summary>
public sealed record FeedAttempt(Uri Address, DateTimeOffset Sent, DateTimeOffset Answered, HttpStatusCode? Status, string? Failure);

/// <summary>
/// A crime-recording feed posting batches of recorded crimes at a steady rate through the CLI's own client
/// (<see cref="EventPoster"/>: a 503 or a connection failure means "not stored", so the same batch, same ids,
/// is sent again with back-off; anything else ends the feed). Between it and the processes sits
/// <see cref="RoundRobinBalancer"/>, a load balancer without health checks: every request, retries included,
/// goes to the next process in turn, so a dead process costs a refused connection and a retry elsewhere.
/// A batch counts as acknowledged only once some process answered 200 to it.
/// </summary>
public sealed class SteadyFeed : IAsyncDisposable
{
    private static readonly string[] Districts = ["north-warwickshire", "nuneaton-bedworth", "rugby", "stratford", "warwick"];

    private readonly string _prefix;
    private readonly DateTimeOffset _at;
    private readonly int _batchSize;
    private readonly TimeSpan _interval;
    private readonly RoundRobinBalancer _balancer;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<string> _acknowledged = [];
    private readonly ConcurrentDictionary<string, int> _byDistrict = new(StringComparer.Ordinal);
    private Task? _run;
    private int _batches;

    /// <param name="addresses">The processes behind the balancer.</param>
    /// <param name="prefix">Event ids start with it, so each test's events are its own.</param>
    /// <param name="at">When every crime happened: one local day of the force, so the test reads one day's figure.</param>
    public SteadyFeed(IReadOnlyList<Uri> addresses, string prefix, DateTimeOffset at, int batchSize = 20, TimeSpan? interval = null)
    {
        _prefix = prefix;
        _at = at;
        _batchSize = batchSize;
        _interval = interval ?? TimeSpan.FromMilliseconds(100);
        _balancer = new RoundRobinBalancer(addresses) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(5) } };
        _http = new HttpClient(_balancer) { Timeout = TimeSpan.FromSeconds(30) };
        Poster = new EventPoster(_http, new Uri("http://balancer/api/events"), ClusterCredentials.FeedKey, TimeSpan.FromMilliseconds(100), maxAttempts: 12);
    }

    internal EventPoster Poster { get; }

    /// <summary>Batches some process answered 200 to.</summary>
    public int AcknowledgedBatches => Volatile.Read(ref _batches);

    /// <summary>The ids of every event in an acknowledged batch.</summary>
    public IReadOnlyCollection<string> AcknowledgedIds => [.. _acknowledged];

    /// <summary>Acknowledged events per district.</summary>
    public IReadOnlyDictionary<string, int> AcknowledgedByDistrict => new Dictionary<string, int>(_byDistrict, StringComparer.Ordinal);

    public IReadOnlyList<FeedAttempt> Attempts => _balancer.Attempts;

    /// <summary>Why the feed stopped before it was told to (the poster gave up or was refused), or null.</summary>
    public Exception? Failure { get; private set; }

    public void Start() => _run = Task.Run(RunAsync);

    /// <summary>Returns once at least <paramref name="more"/> further batches were acknowledged, or fails naming the feed's state.</summary>
    public Task AcknowledgedMoreAsync(int more, TimeSpan timeout, string when)
    {
        var target = AcknowledgedBatches + more;
        return Monitor.Server.Tests.Infrastructure.Poll.Until(
            () => Failure is null ? Task.FromResult(AcknowledgedBatches >= target) : throw new InvalidOperationException($"The feed stopped: {Failure.Message}", Failure),
            timeout,
            $"{more} more batches acknowledged {when} (the feed has {AcknowledgedBatches}; last attempts: {Describe(Attempts.TakeLast(5))})");
    }

    /// <summary>Stops after the batch in hand is acknowledged: a feed never walks away from a batch it started.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }
    }

    public static string Describe(IEnumerable<FeedAttempt> attempts) =>
        string.Join("; ", attempts.Select(a => $"{a.Address.Port} {a.Sent:HH:mm:ss.fff}->{a.Answered:HH:mm:ss.fff} {(a.Status is { } s ? ((int)s).ToString(CultureInfo.InvariantCulture) : a.Failure)}"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            for (var batch = 0; !_stop.IsCancellationRequested; batch++)
            {
                var events = Enumerable.Range(0, _batchSize).Select(i => Crime(batch, i)).ToList();

                // Not cancelled by StopAsync: the batch is sent until some process acknowledges it.
                await Poster.PostAsync(events, CancellationToken.None);
                foreach (var e in events)
                {
                    _acknowledged.Add(e.Id);
                    _byDistrict.AddOrUpdate(e.Area, 1, (_, n) => n + 1);
                }

                Interlocked.Increment(ref _batches);
                if (!await timer.WaitForNextTickAsync(_stop.Token))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    private CrimeRecorded Crime(int batch, int index)
    {
        var id = $"{_prefix}-{batch}-{index}";
        return new CrimeRecorded(id, ClusterCredentials.Force, _at, "CR/" + id, Districts[(batch + index) % Districts.Length], index % 2 == 0 ? "shoplifting" : "residential-burglary", []);
    }

    /// <summary>A load balancer with no health checks: each request goes to the next address in turn.</summary>
    private sealed class RoundRobinBalancer(IReadOnlyList<Uri> addresses) : DelegatingHandler
    {
        private readonly ConcurrentQueue<FeedAttempt> _attempts = new();
        private int _next = -1;

        public IReadOnlyList<FeedAttempt> Attempts => [.. _attempts];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var address = addresses[(int)((uint)Interlocked.Increment(ref _next) % (uint)addresses.Count)];
            request.RequestUri = new Uri(address, request.RequestUri!.PathAndQuery);
            var sent = DateTimeOffset.UtcNow;
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                _attempts.Enqueue(new FeedAttempt(address, sent, DateTimeOffset.UtcNow, response.StatusCode, null));
                return response;
            }
            catch (Exception e)
            {
                _attempts.Enqueue(new FeedAttempt(address, sent, DateTimeOffset.UtcNow, null, $"{e.GetType().Name}: {e.Message}"));
                throw;
            }
        }
    }
}
