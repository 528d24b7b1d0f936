using System.Text;
using MimeKit.Text;

namespace CreditRecovery.Mailbox.Imap;

/// <summary>The text of an HTML-only mail, for <see cref="Ports.InboundMail.TextBody"/>: tags dropped, blocks on their own lines.</summary>
internal static class HtmlText
{
    private static readonly HashSet<HtmlTagId> LineBreaks =
    [
        HtmlTagId.Br, HtmlTagId.P, HtmlTagId.Div, HtmlTagId.TR, HtmlTagId.LI, HtmlTagId.H1, HtmlTagId.H2, HtmlTagId.H3,
        HtmlTagId.H4, HtmlTagId.H5, HtmlTagId.H6, HtmlTagId.BlockQuote, HtmlTagId.Table, HtmlTagId.Pre, HtmlTagId.HR,
    ];

    /// <summary>Converts HTML to plain text with MimeKit's tokenizer (entities decoded, scripts and styles skipped).</summary>
    /// <param name="html">The HTML.</param>
    public static string ToPlainText(string html)
    {
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader) { DecodeCharacterReferences = true };
        var text = new StringBuilder();
        var skipping = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head:
                    skipping += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    skipping = Math.Max(0, skipping);
                    break;
                case HtmlTagToken tag when LineBreaks.Contains(tag.Id):
                    if (text.Length > 0 && text[^1] != '\n')
                    {
                        text.Append('\n');
                    }

                    break;
                case HtmlDataToken data when skipping == 0:
                    text.Append(data.Data);
                    break;
            }
        }

        return text.ToString().Trim();
    }
}
