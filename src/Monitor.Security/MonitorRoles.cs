namespace Monitor.Security;

/// <summary>The people's roles of the architecture brief and the claim names a token carries them in.</summary>
public static class MonitorRoles
{
    /// <summary>A control-room TV: reads figures.</summary>
    public const string Wallboard = "wallboard";

    /// <summary>A duty inspector: reads figures.</summary>
    public const string Inspector = "inspector";

    /// <summary>Acknowledges and shelves alerts, besides reading.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>Configuration, besides everything a supervisor may do.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Wallboard, Inspector, Supervisor, Admin];

    /// <summary>Everyone who may read a force's figures.</summary>
    public static IReadOnlyList<string> Readers { get; } = All;

    /// <summary>Everyone who may act on alerts.</summary>
    public static IReadOnlyList<string> Acknowledgers { get; } = [Supervisor, Admin];

    public static bool IsRole(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}

/// <summary>Claim names: short JWT names, kept as they are (inbound claim mapping is off on the server).</summary>
public static class MonitorClaims
{
    public const string Subject = "sub";

    public const string Name = "name";

    public const string Role = "role";

    /// <summary>The one force a person or a feed key may see; everything else is refused.</summary>
    public const string Force = "force";

    /// <summary>Carried by a feed key's identity only: the key's id (never the key or its hash).</summary>
    public const string FeedKey = "monitor:feed";

    /// <summary>One claim per event type a feed key may post.</summary>
    public const string EventType = "monitor:type";
}
