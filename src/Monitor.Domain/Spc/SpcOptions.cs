namespace Monitor.Domain.Spc;

/// <summary>
/// Per-measure chart options. Every default is the one fixed in spc.md; a measure may override any of them.
/// </summary>
public sealed record SpcOptions
{
    public static SpcOptions Default { get; } = new();

    /// <summary>Points that make a phase's baseline; limits are trial until it is full, then frozen.</summary>
    public int BaselinePoints { get; init; } = 12;

    /// <summary>Drop moving ranges of at least 3.267·AMR and recompute the AMR once (XmR only).</summary>
    public bool Screen { get; init; } = true;

    /// <summary>XmR limits sit at mean ± constant·AMR (2.66 = 3/d2 with d2 = 1.128).</summary>
    public double Constant { get; init; } = 2.66;

    /// <summary>A run this long on one side of the mean is a special cause and warns of a re-baseline.</summary>
    public int RunWarn { get; init; } = 7;

    /// <summary>A run this long starts a new phase at the run's first point, when re-baselining applies.</summary>
    public int RunRebase { get; init; } = 8;

    /// <summary>Points each strictly above (below) the one before that make a trend.</summary>
    public int Trend { get; init; } = 7;

    /// <summary>Whether a run of <see cref="RunRebase"/> re-baselines: weekly and monthly series only, never daily.</summary>
    public bool Rebaseline { get; init; } = true;

    /// <summary>Explains the first option that cannot be used, or null when all are usable.</summary>
    public string? Problem()
    {
        // One point has no moving range: an XmR or p′ phase would never get limits.
        if (BaselinePoints < 2)
            return $"options.baselinePoints must be at least 2 (got {BaselinePoints})";
        if (!double.IsFinite(Constant) || Constant <= 0)
            return $"options.constant must be a positive number (got {Constant})";
        if (RunWarn < 1)
            return $"options.runWarn must be at least 1 (got {RunWarn})";
        if (RunRebase < 2)
            return $"options.runRebase must be at least 2 (got {RunRebase})";
        if (Trend < 2)
            return $"options.trend must be at least 2 (got {Trend})";
        return null;
    }
}
