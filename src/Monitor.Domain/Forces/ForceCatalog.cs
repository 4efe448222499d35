namespace Monitor.Domain.Forces;

/// <summary>The forces this monitor serves, by id.</summary>
public sealed class ForceCatalog
{
    private readonly Dictionary<string, ForceDefinition> _forces;

    public ForceCatalog(IEnumerable<ForceDefinition> forces) =>
        _forces = forces.ToDictionary(f => f.Id, StringComparer.Ordinal);

    public IReadOnlyCollection<ForceDefinition> All => _forces.Values;

    public ForceDefinition? Find(string id) => _forces.GetValueOrDefault(id);

    public ForceDefinition Get(string id) =>
        Find(id) ?? throw new KeyNotFoundException($"Force '{id}' is not configured.");
}

/// <summary>A force file that cannot be used; the message names the file, the path inside it and what is wrong.</summary>
public sealed class ForceConfigurationException : Exception
{
    public ForceConfigurationException(string message)
        : base(message)
    {
    }

    public ForceConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ForceConfigurationException()
    {
    }
}
