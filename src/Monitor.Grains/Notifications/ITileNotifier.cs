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
}
