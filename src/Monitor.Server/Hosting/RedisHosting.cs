using System.Net;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Monitor.Grains.Storage;
using Monitor.Server.Hubs;
using Monitor.Server.Storage;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Monitor.Server.Hosting;

/// <summary>
/// The durable set-up: one <see cref="IConnectionMultiplexer"/> for the whole process, handed to Orleans
/// clustering, grain storage and reminders, the SignalR backplane and the measure journals.
/// </summary>
public static class RedisHosting
{
    /// <summary>Reads <c>Monitor:Redis</c> and sets what the monitor relies on whatever the operator wrote.</summary>
    public static ConfigurationOptions Configuration(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        if (options.EndPoints.Count == 0)
        {
            throw new InvalidOperationException($"Monitor:Redis names no Redis endpoint; expected host:port, as in 127.0.0.1:6379.");
        }

        // While Redis is unreachable a command fails at once instead of queueing: ingest answers 503 straight
        // away and the feed keeps the batch, rather than every request hanging for the command timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;

        // Reconnect within about two seconds of Redis coming back (the default backs off to ten), since ingest
        // refuses everything until it does.
        options.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 2000);

        // The monitor's own calls are all asynchronous; the one synchronous call is the SignalR backplane
        // unsubscribing while the host is disposed, which blocks a thread-pool thread for the answer. On a busy
        // process the answer can wait behind that very pool, so it gets more than the 5 s default.
        options.SyncTimeout = 15_000;

        // Replies are read and their awaiting grains resumed on the .NET thread pool, not on the client's own
        // dedicated socket threads: every ingest batch awaits several writes, and each reply handed from a socket
        // thread to the pool was a wake-up and a context switch more (a tenth of the server's samples in Redis mode;
        // docs/benchmarks.md, "A fifth pass"). Nothing here blocks a pool thread on Redis but the one shutdown
        // call above, which the thread pool's own growth and the 15 s timeout cover.
        options.SocketManager = SocketManager.ThreadPool;
        return options;
    }

    /// <summary>What every pub/sub channel of a service starts with on the wire: its service id.</summary>
    public static RedisChannel BackplanePrefix(string serviceId) => RedisChannel.Literal($"monitor:{serviceId}:");

    /// <summary>Where the configuration points, for the start-up report: endpoints only, never a password.</summary>
    public static string Describe(string configuration) =>
        string.Join(", ", ConfigurationOptions.Parse(configuration).EndPoints.Select(e => e switch
        {
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            _ => e.ToString() ?? string.Empty,
        }));

    public static void AddMonitorRedis(this WebApplicationBuilder builder, MonitorOptions options, ConfigurationOptions redis)
    {
        var services = builder.Services;

        // The one connection. The container disposes it after the silo and the hub have stopped. Its only pub/sub
        // is the SignalR backplane's, whose channels are named after the hub and the group alone: the prefix keeps
        // two services on one Redis (a staging monitor beside the live one) off each other's boards. It must be on
        // this connection, the one the backplane is handed: the backplane's own configuration is not read when a
        // connection is handed to it, and until 2026-11-26 its prefix was set there, to no effect.
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var shared = redis.Clone();
            shared.ChannelPrefix = BackplanePrefix(options.Orleans.ServiceId);
            return ConnectionMultiplexer.Connect(shared);
        });
        services.AddSingleton<IMeasureJournal>(sp => new RedisMeasureJournal(sp.GetRequiredService<IConnectionMultiplexer>(), options.Orleans.ServiceId, compactBatches: options.CompactRecords));
        services.AddSingleton<IRecordStore>(sp => new RedisRecordStore(
            sp.GetRequiredService<IConnectionMultiplexer>(), options.Orleans.ServiceId, compactRecords: options.CompactRecords));

        services.AddSignalR().AddStackExchangeRedis();
        services.AddSingleton(sp => new RedisBoardAudience(
            sp.GetRequiredService<IConnectionMultiplexer>(), options.Orleans.ServiceId, sp.GetRequiredService<ILogger<RedisBoardAudience>>()));
        services.AddSingleton<IBoardAudience>(sp => sp.GetRequiredService<RedisBoardAudience>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisBoardAudience>());
        services.AddHostedService<BackplaneWatch>();
        services.AddOptions<RedisOptions>().Configure<IServiceProvider>((o, sp) =>
            o.ConnectionFactory = _ => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()));

        builder.UseOrleans(silo =>
        {
            // A grain's storage failure travels to the silo that called it with its inner exceptions
            // (StoreUnavailableException wraps RedisConnectionException, which wraps Pipelines.Sockets.Unofficial's
            // ConnectionResetException, ...). Orleans serializes only exceptions of the namespaces it is told of;
            // otherwise the calling silo got CodecNotFoundException instead, and ingest answered 500 rather than
            // 503 whenever Redis was down and the grain lived on another process (found by
            // tests/Monitor.Cluster.Tests, RedisOutageTests). Every silo runs this same program, so any exception
            // type one throws the others can read.
            silo.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedExceptionTypeFilter = type => typeof(Exception).IsAssignableFrom(type));

            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.Orleans.ClusterId;
                o.ServiceId = options.Orleans.ServiceId;
            });
            var advertised = options.Orleans.AdvertisedAddress is { Length: > 0 } address ? IPAddress.Parse(address) : null;
            if (advertised is null)
            {
                silo.ConfigureEndpoints(options.Orleans.SiloPort, options.Orleans.GatewayPort, listenOnAnyHostAddress: true);
            }
            else
            {
                silo.ConfigureEndpoints(advertised, options.Orleans.SiloPort, options.Orleans.GatewayPort, listenOnAnyHostAddress: true);
            }

            if (options.Orleans.Kubernetes)
            {
                // After ConfigureEndpoints, which keeps the ports and listening on any address; Kubernetes hosting
                // then advertises the pod's IP, from POD_IP (deploy/k8s/deployment.yaml sets it from status.podIP).
                silo.UseKubernetesHosting();
            }

            silo.Configure<ClusterMembershipOptions>(o =>
            {
                // A killed process is declared dead after three missed one-second probes, about 3 to 5 s with
                // the vote, instead of about 15 s with the defaults (5 s probes); its grains then answer from
                // another copy. Probe timeouts still adapt per silo between 0.5 s and 4 s.
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 3;

                // A dead silo that never wrote its death is also caught by its stale heartbeat: 10 s × 3.
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
                o.NumMissedTableIAmAliveLimit = 3;
            });

            // The packages' validators insist on ConfigurationOptions even when CreateMultiplexer supplies the
            // connection, so both are set; IsShared tells them not to dispose it.
            silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
            silo.Services.AddOptions<RedisClusteringOptions>().Configure<IServiceProvider>((o, sp) =>
                o.CreateMultiplexer = _ => Task.FromResult((sp.GetRequiredService<IConnectionMultiplexer>(), true)));

            // Grain state in the form the embedded store and the grain tests use; JSON an earlier build stored is still
            // read, with the provider's default serializer that wrote it, and written while CompactRecords is false.
            silo.AddRedisGrainStorageAsDefault(storage => storage.Configure<IServiceProvider>((o, sp) =>
            {
                o.ConfigurationOptions = redis.Clone();
                o.CreateMultiplexer = _ => Task.FromResult((sp.GetRequiredService<IConnectionMultiplexer>(), true));
                o.GrainStorageSerializer = new GrainStateSerializer(
                    sp.GetRequiredService<Serializer>(), sp.GetRequiredService<IGrainStorageSerializer>(), compact: options.CompactRecords);
            }));

            silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
            silo.Services.AddOptions<RedisReminderTableOptions>().Configure<IServiceProvider>((o, sp) =>
                o.CreateMultiplexer = _ => Task.FromResult((sp.GetRequiredService<IConnectionMultiplexer>(), true)));
        });
    }
}
