namespace Monitor.Server.Auth;

/// <summary>A setting is missing or malformed: the server refuses to start and names the setting.</summary>
public sealed class MonitorConfigurationException : Exception
{
    public MonitorConfigurationException()
    {
    }

    public MonitorConfigurationException(string message)
        : base(message)
    {
    }

    public MonitorConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
