namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// What the first block of a file says it is. A tar is recognised by its header; a few formats
/// users mistake for an export (a compressed tar, a zip, JSON saved as UTF-16) are named, so the
/// error tells them what to do rather than only what the file is not.
/// </summary>
internal static class FileSignature
{
    public const int TarHeaderBytes = 512;
    private const int TarMagicOffset = 257;
    private const int ChecksumOffset = 148;
    private const int ChecksumBytes = 8;

    private static readonly (byte[] Magic, string Advice)[] _mistakes =
    [
        ([0x1F, 0x8B], "it is gzip-compressed: decompress it first"),
        ("BZh"u8.ToArray(), "it is bzip2-compressed: decompress it first"),
        ([0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00], "it is xz-compressed: decompress it first"),
        ([0x28, 0xB5, 0x2F, 0xFD], "it is zstd-compressed: decompress it first"),
        ("PK\u0003\u0004"u8.ToArray(), "it is a zip archive: extract the export from it first"),
        ("PK\u0005\u0006"u8.ToArray(), "it is an empty zip archive"),
        ([(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C], "it is a 7z archive: extract the export from it first"),
        // UTF-32 before UTF-16: FF FE 00 00 also starts with the UTF-16 little-endian mark.
        ([0xFF, 0xFE, 0x00, 0x00], "it is UTF-32 text: save it as UTF-8"),
        ([0x00, 0x00, 0xFE, 0xFF], "it is UTF-32 text: save it as UTF-8"),
        ([0xFF, 0xFE], "it is UTF-16 text: save it as UTF-8"),
        ([0xFE, 0xFF], "it is UTF-16 text: save it as UTF-8"),
    ];

    /// <summary>What to tell a user whose file starts with <paramref name="head"/>, or null when it is nothing we know.</summary>
    public static string? Advice(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, advice) in _mistakes)
        {
            if (head.StartsWith(magic))
            {
                return advice;
            }
        }

        return null;
    }

    /// <summary>A first block cut short that still shows the ustar magic: a tar truncated inside its first header.</summary>
    public static bool IsCutTarHeader(ReadOnlySpan<byte> head) =>
        head.Length is >= TarMagicOffset + 5 and < TarHeaderBytes && head[TarMagicOffset..].StartsWith("ustar"u8);

    /// <summary>
    /// The ustar magic and a matching header checksum: the magic alone could be chance, e.g.
    /// "gustar" at byte 257 of a Spanish chat.
    /// </summary>
    public static bool IsTarHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length < TarHeaderBytes || !header[TarMagicOffset..].StartsWith("ustar"u8))
        {
            return false;
        }

        var field = header.Slice(ChecksumOffset, ChecksumBytes);
        var stored = 0L;
        foreach (var digit in field.Trim(" \0"u8))
        {
            if (digit is < (byte)'0' or > (byte)'7')
            {
                return false;
            }

            stored = (stored * 8) + (digit - '0');
        }

        // The checksum counts its own field as spaces; old writers summed signed bytes.
        long unsigned = ChecksumBytes * ' ', signed = ChecksumBytes * ' ';
        for (var i = 0; i < TarHeaderBytes; i++)
        {
            if (i is < ChecksumOffset or >= ChecksumOffset + ChecksumBytes)
            {
                unsigned += header[i];
                signed += (sbyte)header[i];
            }
        }

        return stored == unsigned || stored == signed;
    }
}
