using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Remote;
using EtlActors.Contracts;

namespace EtlActors.Client;

/// <summary>
/// Tells a cluster that answers from one that cannot, before the first request: a ClusterClient waits for a contact
/// point for ever, so an unreachable cluster would only show as a request's timeout.
/// </summary>
internal sealed class ContactProbe(ActorSystem system, EtlClientOptions options, IReadOnlyList<ContactPoint> contacts, bool tls)
{
    // Enough for a node on loopback or the LAN to answer an Identify once reached (it answered the contact's in well
    // under a second even with both cores busy).
    private static readonly TimeSpan SpellingTimeout = TimeSpan.FromSeconds(5);

    private string Contacts => string.Join(", ", options.Contacts);

    /// <exception cref="EtlContactMismatchException">A node answers, but to another spelling of its contact.</exception>
    /// <exception cref="EtlClientException">No contact answered within the connect timeout, or each refused the connection.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        within.CancelAfter(options.ConnectTimeout);
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refusedAt = new HashSet<(string, int)>();
        Action<Address> onRefused = address =>
        {
            lock (refusedAt)
                if (refusedAt.Add((address.Host ?? "", address.Port ?? 0)) && contacts.All(c => refusedAt.Contains((c.Host, c.Port))))
                    refused.TrySetResult();
        };
        var listener = system.ActorOf(Props.Create(() => new RefusalListener(onRefused)));
        system.EventStream.Subscribe(listener, typeof(AssociationErrorEvent));
        try
        {
            // An Identify can end unanswered before the refusal is heard: the deadline, not the last Identify, ends the wait.
            var deadline = Task.Delay(Timeout.InfiniteTimeSpan, within.Token);
            var pending = new List<Task>([.. contacts.Select(c => IdentifyAsync(c.ToString(), within.Token)), refused.Task, deadline]);
            while (true)
            {
                var done = await Task.WhenAny(pending);
                if (done == refused.Task)
                    throw new EtlClientException($"cannot reach the cluster at {Contacts}: nothing listens there (connection refused; is a node running on that port?)");
                if (done == deadline)
                    break;
                pending.Remove(done);
                if (done is Task<Address?> { IsCompletedSuccessfully: true, Result: not null })
                    return;
            }
        }
        finally
        {
            system.Stop(listener);
        }
        cancellationToken.ThrowIfCancellationRequested();
        // Only now, as the client is failing anyway: a second spelling of a node that is merely slow opens a second
        // association to it, which took over the first and left the ClusterClient's requests unanswered.
        using (var spellings = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            spellings.CancelAfter(SpellingTimeout);
            if (await FindOtherSpellingAsync(spellings.Token) is { } wrong)
                throw wrong;
        }
        throw new EtlClientException(
            $"cannot reach the cluster at {Contacts} within {options.ConnectTimeout.TotalSeconds:0.#} s (is a node running and reachable there? " +
            (ClientTls.IsPlaintext(options)
                ? "this client is plaintext: nodes use TLS unless Etl:Tls:InsecurePlaintext=true)"
                : $"nodes refuse a client whose certificate their CA did not issue: check {ClientTls.CertificateVariable} and {ClientTls.AuthorityVariable})"));
    }

    /// <summary>The address of the receptionist at <paramref name="hostAndPort"/>, or null if none answers there.</summary>
    private async Task<Address?> IdentifyAsync(string hostAndPort, CancellationToken cancellationToken)
    {
        var path = ActorPath.Parse(EtlActorSystem.ReceptionistPath(hostAndPort, tls));
        try
        {
            var identity = await system.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), options.ConnectTimeout, cancellationToken);
            return identity.Subject?.Path.Address;
        }
        catch (Exception ex) when (ex is OperationCanceledException or AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// A node takes only messages addressed to the host name it announces, and drops the rest: `localhost:4053` to a
    /// node that announces 127.0.0.1 would only time out. Other spellings of a silent contact (the addresses a name
    /// resolves to, the names of an address) find the node and the name it answers to.
    /// </summary>
    private async Task<EtlContactMismatchException?> FindOtherSpellingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var probes = new List<Task<(ContactPoint Contact, Address? Answer)>>();
            foreach (var contact in contacts)
                foreach (var host in await OtherSpellingsAsync(contact.Host, cancellationToken))
                    probes.Add(IdentifyAsync($"{host}:{contact.Port}", cancellationToken).ContinueWith(t => (contact, t.Result), TaskScheduler.Default));
            while (probes.Count > 0)
            {
                var done = await Task.WhenAny(probes);
                probes.Remove(done);
                if (done.Result is (var contact, { Host: { } host, Port: { } port }))
                    return new EtlContactMismatchException(contact.ToString(), $"{host}:{port}");
            }
        }
        catch (OperationCanceledException)
        {
            // out of time: the caller reports the timeout
        }
        return null;
    }

    internal static async Task<IReadOnlyList<string>> OtherSpellingsAsync(string host, CancellationToken cancellationToken)
    {
        var spellings = new List<string>();
        try
        {
            if (IPAddress.TryParse(host, out var ip))
            {
                if (IPAddress.IsLoopback(ip))
                    spellings.Add("localhost");
                spellings.Add((await Dns.GetHostEntryAsync(ip.ToString(), cancellationToken)).HostName);
                if ((await Dns.GetHostAddressesAsync(Dns.GetHostName(), cancellationToken)).Contains(ip))
                    spellings.Add(Dns.GetHostName());
            }
            else
                spellings.AddRange((await Dns.GetHostAddressesAsync(host, cancellationToken))
                    .Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.ToString()));
        }
        catch (SocketException)
        {
            // a name or address with no other spelling
        }
        return [.. spellings.Where(s => !string.Equals(s, host, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Hears remoting's association failures: a refused connection is known at once, not at the timeout.</summary>
    private sealed class RefusalListener : ReceiveActor
    {
        public RefusalListener(Action<Address> refused) =>
            Receive<AssociationErrorEvent>(e =>
            {
                if (IsRefused(e.Cause))
                    refused(e.RemoteAddress);
            });

        private static bool IsRefused(Exception? ex)
        {
            for (; ex is not null; ex = ex.InnerException)
                if (ex is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                    || ex.Message.Contains("Connection refused", StringComparison.OrdinalIgnoreCase)
                    || (ex is AggregateException all && all.InnerExceptions.Any(IsRefused)))
                    return true;
            return false;
        }
    }
}
