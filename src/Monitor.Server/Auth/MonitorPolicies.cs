namespace Monitor.Server.Auth;

/// <summary>The authorization policies every endpoint and hub method is mapped with (role matrix: docs/security.md).</summary>
public static class MonitorPolicies
{
    /// <summary>A feed key, posting events.</summary>
    public const string Feed = "feed";

    /// <summary>A feed key, importing period totals (POST /api/history); its force and type scope are checked there.</summary>
    public const string Import = "import";

    /// <summary>A person with any role, reading their own force.</summary>
    public const string Read = "read";

    /// <summary>A supervisor or an admin, acting on their own force's alerts.</summary>
    public const string Acknowledge = "acknowledge";

    /// <summary>An inspector, supervisor or admin reading their own force's quarterly report (a wallboard has no use for it).</summary>
    public const string Report = "report";

    /// <summary>An admin of their own force.</summary>
    public const string Admin = "admin";
}
