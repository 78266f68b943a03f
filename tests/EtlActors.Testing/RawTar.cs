using System.Text;

namespace EtlActors.Testing;

/// <summary>
/// Writes ustar archives byte by byte, so a test can make the headers that well-behaved writers
/// refuse to: absolute and <c>..</c> names, links, sizes that promise more than the file holds.
/// </summary>
public static class RawTar
{
    public const int Block = 512;

    /// <summary>One entry: its header, then its data padded to a whole block.</summary>
    public static byte[] Entry(string name, byte[] data, long? declaredSize = null, char type = '0', string linkName = "")
    {
        var header = Header(name, declaredSize ?? data.Length, type, linkName);
        var padding = (Block - (data.Length % Block)) % Block;
        return [.. header, .. data, .. new byte[padding]];
    }

    /// <summary>The entries followed by the two zero blocks that end an archive.</summary>
    public static byte[] Archive(params byte[][] entries) => [.. entries.SelectMany(e => e), .. new byte[2 * Block]];

    public static byte[] Header(string name, long size, char type = '0', string linkName = "")
    {
        var header = new byte[Block];
        Ascii(header, 0, name, 100);
        Ascii(header, 100, "0000644", 8);
        Ascii(header, 108, "0000000", 8);
        Ascii(header, 116, "0000000", 8);
        Ascii(header, 124, Convert.ToString(size, 8).PadLeft(11, '0'), 12);
        Ascii(header, 136, "14567000000", 12);
        header[156] = (byte)type;
        Ascii(header, 157, linkName, 100);
        Ascii(header, 257, "ustar", 6);
        Ascii(header, 263, "00", 2);
        // The checksum is summed with its own field as spaces.
        Ascii(header, 148, "        ", 8);
        var sum = header.Sum(b => b);
        Ascii(header, 148, Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ", 8);
        return header;
    }

    private static void Ascii(byte[] into, int at, string text, int width)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (bytes.Length > width)
        {
            throw new ArgumentException($"'{text}' is longer than {width} bytes", nameof(text));
        }

        bytes.CopyTo(into, at);
    }
}
