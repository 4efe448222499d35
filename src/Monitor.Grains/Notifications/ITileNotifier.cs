using Monitor.Abstractions;

namespace Monitor.Grains.Notifications;

/// <summary>
/// How grains tell the wallboards a figure changed, without holding any connection state themselves.
/// Publishing never blocks the grain: the host coalesces and sends in the background.
/// </summary>
public interface ITileNotifier
{
    void Publish(MeasureTile tile);

    void Publish(CallQueueView queue);

    void Publish(OpenIncidentsView incidents);

    void Publish(AlertView alert);

    /// <summary>
    /// Marks a round of counting (one dispatch of facts to the measure grains) until disposed: the tiles it changes
    /// may be sent together when it ends rather than one by one as each grain publishes.
    /// </summary>
    IDisposable OpenRound();
}
