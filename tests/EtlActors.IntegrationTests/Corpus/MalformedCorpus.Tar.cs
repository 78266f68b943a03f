using static EtlActors.IntegrationTests.Corpus.CorpusFiles;

using EtlActors.Testing;

namespace EtlActors.IntegrationTests.Corpus;

/// <summary>Tars that are cut short, lie about sizes, point outside themselves or lack messages.json.</summary>
public static partial class MalformedCorpus
{
    private static readonly byte[] _good = Utf8(GoodExport);

    // The good export padded to whole blocks, plus the two end blocks: what follows its header.
    private static readonly long _afterGoodHeader = ((_good.Length + RawTar.Block - 1) / RawTar.Block * RawTar.Block) + (2 * RawTar.Block);

    public static IReadOnlyList<CorpusCase> TarCases => field ??=
    [
        Case("tar-truncated-in-data", "skype-export.tar",
            "a good tar cut 100 bytes into messages.json (an interrupted download)",
            Bytes(RawTar.Archive(RawTar.Entry("messages.json", _good))[..(RawTar.Block + 100)]),
            new Fails($"the tar archive is truncated: its entry 'messages.json' declares {_good.Length} bytes but only 100 follow its header")),

        Case("tar-cut-in-first-header", "skype-export.tar",
            "a tar cut 300 bytes in, inside its first header",
            Bytes(RawTar.Archive(RawTar.Entry("messages.json", _good))[..300]),
            new Fails("the tar archive is truncated inside its first header")),

        Case("tar-size-larger-than-file", "skype-export.tar",
            "messages.json's header declares 1 GiB, though its whole JSON and the end blocks follow (a lying header)",
            Tar(RawTar.Entry("messages.json", _good, declaredSize: 1L << 30)),
            new Fails($"the tar archive is truncated: its entry 'messages.json' declares 1073741824 bytes but only {_afterGoodHeader} follow its header")),

        Case("tar-earlier-entry-larger-than-file", "skype-export.tar",
            "a media entry before messages.json declares 8 GiB - 1, the largest ustar size",
            Tar(RawTar.Entry("media/photo.jpg", new byte[700], declaredSize: (8L << 30) - 1), RawTar.Entry("messages.json", _good)),
            new Fails($"the tar archive is truncated: its entry 'media/photo.jpg' declares 8589934591 bytes but only {1024 + RawTar.Block + _afterGoodHeader} follow its header")),

        Case("tar-absolute-path", "skype-export.tar",
            "messages.json stored at the absolute path /messages.json",
            Tar(RawTar.Entry("/messages.json", _good)),
            new Fails("the archive's entry '/messages.json' points outside the archive (an absolute path or '..'); it is not read")),

        Case("tar-dotdot-path", "skype-export.tar",
            "messages.json stored as ../messages.json, which ends with /messages.json but climbs out",
            Tar(RawTar.Entry("../messages.json", _good)),
            new Fails("the archive's entry '../messages.json' points outside the archive (an absolute path or '..'); it is not read")),

        Case("tar-messages-json-is-a-symlink", "skype-export.tar",
            "messages.json is a symbolic link to /etc/passwd",
            Tar(RawTar.Entry("messages.json", [], type: '2', linkName: "/etc/passwd")),
            new Fails("the archive's entry 'messages.json' is a link to '/etc/passwd', not a file; it is not followed")),

        Case("tar-without-messages-json", "skype-export.tar",
            "a tar of other files only (endpoints.json, media, a messages.json.bak)",
            Tar(RawTar.Entry("endpoints.json", "{}"u8.ToArray()), RawTar.Entry("media/a.jpg", new byte[600]), RawTar.Entry("messages.json.bak", _good)),
            new Fails("the archive holds no messages.json")),

        Case("tar-unsafe-entries-beside-messages-json", "skype-export.tar",
            "entries named ../corpus-escaped.sh and /tmp/corpus-escaped.txt before a good messages.json: "
                + "they are never extracted, so the export loads and nothing appears outside the folder",
            Tar(RawTar.Entry("../corpus-escaped.sh", "#!/bin/sh\necho escaped\n"u8.ToArray()),
                RawTar.Entry("/tmp/corpus-escaped.txt", "escaped"u8.ToArray()),
                RawTar.Entry("messages.json", _good)),
            GoodExportLoads with
            {
                Also = (folder, _) =>
                {
                    Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(folder)!, "corpus-escaped.sh")));
                    Assert.False(File.Exists("/tmp/corpus-escaped.txt"));
                    return Task.CompletedTask;
                },
            }),
    ];
}
