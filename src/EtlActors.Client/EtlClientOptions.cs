namespace EtlActors.Client;

/// <summary>How <see cref="EtlClient"/> reaches a cluster.</summary>
public sealed class EtlClientOptions
{
    /// <summary>
    /// Nodes to contact first, as <c>host:port</c> (the node's Akka.Remote address). One is enough;
    /// more keep the client working while one of them is down.
    /// </summary>
    public List<string> Contacts { get; set; } = [];

    /// <summary>
    /// How long to wait for any contact point to answer before the cluster counts as unreachable. Default 10 s: a first
    /// TLS handshake on a busy machine (both sides still compiling their TLS code) has been seen to take over 5 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a request may wait for its answer once the cluster is reached. Default 30 s (a job's first message may wait for its shard to start).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="EtlClient.WatchAsync"/> asks for a job's progress. Default 1 s.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The address nodes reply to. Default: 127.0.0.1 when every contact is on loopback, otherwise
    /// this machine's host name (the client listens on all interfaces).
    /// </summary>
    public string? Hostname { get; set; }

    /// <summary>
    /// This client's certificate and private key, a PFX file issued by the cluster's CA: nodes accept no client
    /// without one (mutual TLS). Default: the <c>ETL_TLS_CERT</c> environment variable.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>
    /// The PFX's password. Default: <c>ETL_TLS_CERT_PASSWORD</c>, else the first line of the file
    /// <see cref="CertificatePasswordFile"/> names. Keep it out of command lines, which other users can see.
    /// </summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A file whose first line is the PFX's password. Default: <c>ETL_TLS_CERT_PASSWORD_FILE</c>.</summary>
    public string? CertificatePasswordFile { get; set; }

    /// <summary>
    /// The cluster's CA certificate (PEM or DER): the client talks only to nodes whose certificate it issued.
    /// Default: <c>ETL_TLS_CA</c>.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>
    /// True: no TLS, for a cluster whose nodes run with <c>Etl:Tls:InsecurePlaintext=true</c>; anyone on the network
    /// can read and forge what this client sends. Default: false, unless <c>ETL_INSECURE_PLAINTEXT</c> is 1 or true.
    /// </summary>
    public bool InsecurePlaintext { get; set; }

    /// <summary>
    /// The API key sent with every command: it says which principal asks, and so which tenants' jobs the client sees and
    /// what it may do (viewer, operator, admin). Default: the <c>ETL_API_KEY</c> environment variable, else the first line
    /// of the file <c>ETL_API_KEY_FILE</c> names. Keep it out of command lines and logs.
    /// </summary>
    public string? ApiKey { get; set; }
}
