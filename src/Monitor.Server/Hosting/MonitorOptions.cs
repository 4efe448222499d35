using Monitor.Security;

namespace Monitor.Server.Hosting;

/// <summary>The <c>Monitor</c> configuration section (environment: <c>Monitor__Name</c>).</summary>
public sealed class MonitorOptions
{
    public const string Section = "Monitor";

    /// <summary>Directory of the force files; defaults to the config/forces copied beside the server.</summary>
    public string? ForcesPath { get; set; }

    /// <summary>Feed plausible events so the board moves at once.</summary>
    public bool Demo { get; set; }

    /// <summary>How many times the force's normal volume the demo feed sends live (time itself runs at its real pace).</summary>
    public double DemoSpeed { get; set; } = 30;

    /// <summary>Minutes between the demo's scenarios (an unattended incident, a 999 surge, ...); 0 switches them off.</summary>
    public double DemoScenarioMinutes { get; set; } = 5;

    /// <summary>The demo feed's seed: the same seed and start time give the same history and scenarios.</summary>
    public int DemoSeed { get; set; } = 2017;

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>127.0.0.1:6379</c>, <c>redis:6379,password=...</c>). Set, the
    /// process keeps everything in Redis: cluster membership, grain state, reminders, measure journals, and the
    /// SignalR backplane. Unset, everything is in this process's memory.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>
    /// With Redis, calls and incidents are stored in their compact form, measure journal batches in their
    /// varint format and grain state (alerts, signals, notes, history) in Orleans' binary form (the default); false
    /// stores JSON records and state and fixed-width batches, which earlier builds read. Either way both are read. Set false for the roll from such a build so a
    /// roll back stays possible, and true again once every copy runs this one (docs/operations.md, "Upgrading").
    /// </summary>
    public bool CompactRecords { get; set; } = true;

    /// <summary>How often live alert sources (open incidents, waiting callers, quiet feeds) are looked at; 0 turns the timer off.</summary>
    public double AlertSweepSeconds { get; set; } = 15;

    public OrleansOptions Orleans { get; set; } = new();

    /// <summary>How people's bearer tokens are checked (docs/security.md).</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>The feed keys, by hash: <c>Monitor:Feeds:0:KeyHash</c>, <c>Monitor:Feeds:0:Force</c>, ...</summary>
    public List<FeedKeyOptions> Feeds { get; set; } = [];

    public RateLimitOptions RateLimits { get; set; } = new();

    public WallboardHubOptions Hub { get; set; } = new();

    /// <summary><c>Monitor:Metrics</c>: the Prometheus scrape endpoint (docs/operations.md).</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>How long a stopping process may take to answer the batches in flight and leave the cluster.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 30;
}

/// <summary><c>Monitor:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// The management port <c>/metrics</c> is served on, anonymously, by a listener of its own that serves
    /// nothing else. Unset: no scrape endpoint (OTLP export still works).
    /// </summary>
    public int? Port { get; set; }

    /// <summary>The address the management port listens on: <c>*</c> (every interface) or e.g. <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "*";
}

/// <summary><c>Monitor:Auth</c>: a symmetric signing key, or an OIDC authority that signs the tokens.</summary>
public sealed class AuthOptions
{
    /// <summary>Base64, at least 32 bytes once decoded. Required unless <see cref="Authority"/> is set or in demo mode.</summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect issuer (its discovery document gives the signing keys); replaces <see cref="SigningKey"/>.</summary>
    public string? Authority { get; set; }

    public string Issuer { get; set; } = MonitorTokens.DefaultIssuer;

    public string Audience { get; set; } = MonitorTokens.DefaultAudience;

    /// <summary>The claim an OIDC provider puts the role in (e.g. <c>roles</c> for Entra ID).</summary>
    public string RoleClaim { get; set; } = MonitorClaims.Role;

    /// <summary>The claim an OIDC provider puts the force in.</summary>
    public string ForceClaim { get; set; } = MonitorClaims.Force;

    /// <summary>How long the tokens printed by <c>--demo</c> stay valid.</summary>
    public int DemoTokenMinutes { get; set; } = 12 * 60;
}

/// <summary>One feed key: its hash (never the key), the force it may post for and the event types.</summary>
public sealed class FeedKeyOptions
{
    /// <summary>A name for logs and rate limits; defaults to the first 12 hex digits of the hash.</summary>
    public string? Id { get; set; }

    /// <summary><c>sha256:</c> and 64 hex digits, as <c>monitor keys new</c> prints it.</summary>
    public string KeyHash { get; set; } = "";

    public string Force { get; set; } = "";

    /// <summary>The event types this key may post; empty means every type.</summary>
    public List<string> Types { get; set; } = [];

    /// <summary>This key's own request rate, when it differs from <see cref="RateLimitOptions.FeedRequestsPerMinute"/>.</summary>
    public int? RequestsPerMinute { get; set; }
}

/// <summary><c>Monitor:RateLimits</c>: requests per minute, per feed key and per person (fixed one-minute windows).</summary>
public sealed class RateLimitOptions
{
    public int FeedRequestsPerMinute { get; set; } = 600;

    public int UserRequestsPerMinute { get; set; } = 600;
}

/// <summary><c>Monitor:Hub</c>: what one wallboard connection may send and hold.</summary>
public sealed class WallboardHubOptions
{
    public long MaxMessageBytes { get; set; } = 32 * 1024;

    public int MaxSubscriptionsPerConnection { get; set; } = 16;

    /// <summary>How often every board is sent the server's clock and health (<c>status</c>); 0 turns it off.</summary>
    public double StatusSeconds { get; set; } = 5;

    /// <summary>The least time between the starts of two pushes of one lane to one area (docs/wallboard.md, "Push cost").</summary>
    public double PushFloorMilliseconds { get; set; } = 25;

    /// <summary>
    /// Kestrel writes to a socket on the thread that flushed it (one thread hop less a push per board). Off: no
    /// clear gain measured on the shared 2-core machine (docs/wallboard.md, "Push cost").
    /// </summary>
    public bool InlineSocketScheduling { get; set; }
}

public sealed class OrleansOptions
{
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public string ClusterId { get; set; } = "monitor";

    public string ServiceId { get; set; } = "monitor";

    /// <summary>
    /// The address other silos reach this one at, with Redis clustering. Unset: the address this host's name
    /// resolves to. Copies on one machine (or in tests) use 127.0.0.1.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// In a Kubernetes pod: silo name and cluster/service ids from the pod (POD_NAME, POD_NAMESPACE,
    /// ORLEANS_CLUSTER_ID, ORLEANS_SERVICE_ID), and a deleted pod's silo declared dead at once. Pods of silos declared
    /// dead are not deleted (the Deployment's probes replace them). Needs Redis (membership stays in Redis) and the
    /// RBAC of deploy/k8s/rbac.yaml.
    /// </summary>
    public bool Kubernetes { get; set; }
}
