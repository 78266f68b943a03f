using System.Text;
using static EtlActors.IntegrationTests.Corpus.CorpusFiles;

using EtlActors.Testing;

namespace EtlActors.IntegrationTests.Corpus;

/// <summary>Files that are not a UTF-8 JSON export or a tar at all.</summary>
public static partial class MalformedCorpus
{
    public static IReadOnlyList<CorpusCase> FileCases => field ??=
    [
        Case("empty", "messages.json",
            "zero bytes",
            Text(""),
            new Fails("the file is empty")),

        Case("whitespace-only", "messages.json",
            "only spaces, tabs and newlines, more than one 512-byte detection block of them",
            Text(string.Concat(Enumerable.Repeat(" \t\r\n", 300))),
            new Fails("the file is empty")),

        Case("bom-only", "messages.json",
            "a UTF-8 byte-order mark and nothing else",
            Bytes([0xEF, 0xBB, 0xBF]),
            new Fails("the file is empty")),

        Case("bom-then-export", "messages.json",
            "a UTF-8 byte-order mark before a good export (as Windows editors save): allowed, it loads",
            Bytes([0xEF, 0xBB, 0xBF], Utf8(GoodExport)),
            GoodExportLoads),

        Case("utf16-export", "messages.json",
            "a good export saved as UTF-16 with its byte-order mark (PowerShell's '>' does this)",
            Bytes(Encoding.Unicode.GetPreamble(), Encoding.Unicode.GetBytes(GoodExport)),
            new Fails("not a tar archive or a JSON file (it is UTF-16 text: save it as UTF-8)")),

        Case("binary-garbage", "export.tar",
            "4 KiB of random bytes",
            Bytes([0x01], Random(4096, seed: 25)),
            new Fails("not a tar archive or a JSON file")),

        Case("gzipped-tar", "skype-export.tar.gz",
            "the export tar compressed with gzip",
            Gzip(RawTar.Archive(RawTar.Entry("messages.json", Utf8(GoodExport)))),
            new Fails("not a tar archive or a JSON file (it is gzip-compressed: decompress it first)")),

        Case("zipped-export", "skype-export.zip",
            "messages.json inside a zip archive",
            Zip("messages.json", Utf8(GoodExport)),
            new Fails("not a tar archive or a JSON file (it is a zip archive: extract the export from it first)")),
    ];
}
