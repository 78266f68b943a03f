using System.Net;
using System.Net.Sockets;

namespace EtlActors.Testing.Processes;

/// <summary>
/// Loopback ports nothing listens on right now. Another process can still take one before the caller
/// binds it; a caller that can retry should (see <c>PostgresServer</c>).
/// </summary>
public static class FreePorts
{
    public static int One()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><paramref name="count"/> different ports: each is held until all are chosen, so none is handed out twice.</summary>
    public static IReadOnlyList<int> Distinct(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
                listener.Dispose();
        }
    }

    /// <summary>A port whose next <paramref name="count"/> - 1 successors are free too (for what numbers its nodes from a base port, like cluster/local.sh).</summary>
    public static int Consecutive(int count)
    {
        while (true)
        {
            var listeners = new List<TcpListener>();
            try
            {
                var first = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(first);
                first.Start();
                var port = ((IPEndPoint)first.LocalEndpoint).Port;
                if (port + count - 1 > IPEndPoint.MaxPort)
                    continue;
                for (var next = port + 1; next < port + count; next++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, next);
                    listeners.Add(listener);
                    listener.Start();
                }
                return port;
            }
            catch (SocketException)
            {
                // one of the successors is taken: try another
            }
            finally
            {
                foreach (var listener in listeners)
                    listener.Dispose();
            }
        }
    }
}
