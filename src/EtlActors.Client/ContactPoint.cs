using System.Net;

namespace EtlActors.Client;

/// <summary>A node's <c>host:port</c>, as users type it.</summary>
internal sealed record ContactPoint(string Host, int Port)
{
    public bool IsLoopback => Host == "localhost" || (IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip));

    public static ContactPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is <= 0 or > 65535)
            throw new ArgumentException($"cluster contact '{text}' is not host:port (e.g. 127.0.0.1:4053)");
        return new ContactPoint(text[..colon], port);
    }

    public override string ToString() => $"{Host}:{Port}";
}
