using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Testing;

/// <summary>
/// Builds PEC receipts (*ricevute*) and transport envelopes (*buste di trasporto*) to the structure of the technical rules
/// (DM 2 November 2005) as Italian providers send them: a <c>multipart/mixed</c> with the human-readable text (plain and
/// HTML), <c>daticert.xml</c> and, for a full delivery receipt or an envelope, the original message as <c>postacert.eml</c>;
/// headers <c>X-Ricevuta</c> (receipts) or <c>X-Trasporto</c> (envelopes), <c>X-Riferimento-Message-ID</c>,
/// <c>X-TipoRicevuta</c>. <see cref="Signed"/> wraps it in <c>multipart/signed</c> with an <c>smime.p7s</c> part like the
/// providers' S/MIME signature; its bytes are a placeholder, not a valid signature.
/// </summary>
/// <example>
/// <code>
/// var receipt = PecReceiptBuilder.Delivery(OutboxMessageIds.For(outbox, "pec.acme.it"), "debitore@pec.cliente.it")
///     .CertifiedAt(new LocalDateTime(2026, 3, 21, 10, 25, 0).WithOffset(Offset.FromHours(1)))
///     .Build();
/// await imapServer.AppendAsync(receipt);
/// </code>
/// </example>
public sealed class PecReceiptBuilder
{
    private readonly string _type;
    private string? _originalMessageId;
    private string _sender = "solleciti@pec.creditrecovery.example.it";
    private List<string> _recipients = ["debitore@pec.cliente.example.it"];
    private string? _delivery;
    private string? _error;
    private string _errorCode = "nessuno";
    private string _subject = "Messa in mora - fatture scadute";
    private OffsetDateTime _at = new LocalDateTime(2026, 3, 21, 10, 25, 0).WithOffset(Offset.FromHours(1));
    private string _provider = "Gestore PEC di prova S.p.A.";
    private string _providerDomain = "pec.gestore.example.it";
    private MimeMessage? _original;
    private bool _referenceHeader = true;
    private bool _msgId = true;
    private bool _withDaticert = true;
    private string? _rawDaticert;
    private bool _signed;
    private string _receiptForm = "completa";

    private PecReceiptBuilder(string type, string? originalMessageId)
    {
        _type = type;
        _originalMessageId = originalMessageId;
    }

    /// <summary>The Message-ID the receipt will carry (without angle brackets); random unless set with <see cref="WithMessageId"/>.</summary>
    public string MessageId { get; private set; } = "opec" + Guid.NewGuid().ToString("N")[..20] + "@pec.gestore.example.it";

    /// <summary>A *ricevuta di accettazione* (<c>accettazione</c>): the sender's provider took the message.</summary>
    /// <param name="originalMessageId">The Message-ID of the message sent, with or without angle brackets.</param>
    public static PecReceiptBuilder Acceptance(string originalMessageId) => new("accettazione", originalMessageId);

    /// <summary>An *avviso di non accettazione* (<c>non-accettazione</c>), with its reason.</summary>
    /// <param name="originalMessageId">The Message-ID of the message sent.</param>
    /// <param name="error">The reason (<c>errore-esteso</c>).</param>
    public static PecReceiptBuilder NonAcceptance(string originalMessageId, string error) =>
        new PecReceiptBuilder("non-accettazione", originalMessageId).WithError(error, "altro");

    /// <summary>A *ricevuta di avvenuta consegna* (<c>avvenuta-consegna</c>), full form (with <c>postacert.eml</c> when <see cref="WithOriginal"/> is given).</summary>
    /// <param name="originalMessageId">The Message-ID of the message sent.</param>
    /// <param name="recipient">The address the message reached (<c>consegna</c>).</param>
    public static PecReceiptBuilder Delivery(string originalMessageId, string recipient) =>
        new PecReceiptBuilder("avvenuta-consegna", originalMessageId).DeliveredTo(recipient);

    /// <summary>An *avviso di mancata consegna* (<c>errore-consegna</c>), with the provider's reason.</summary>
    /// <param name="originalMessageId">The Message-ID of the message sent.</param>
    /// <param name="recipient">The address that could not be reached (<c>consegna</c>).</param>
    /// <param name="error">The reason (<c>errore-esteso</c>), e.g. <c>5.1.1 - Utente non valido</c>.</param>
    public static PecReceiptBuilder NonDelivery(string originalMessageId, string recipient, string error) =>
        new PecReceiptBuilder("errore-consegna", originalMessageId).DeliveredTo(recipient).WithError(error, "no-dest");

    /// <summary>Another notice: <c>presa-in-carico</c>, <c>preavviso-errore-consegna</c>, <c>rilevazione-virus</c>, or any type.</summary>
    /// <param name="type">The <c>X-Ricevuta</c> / <c>tipo</c> value.</param>
    /// <param name="originalMessageId">The Message-ID of the message sent.</param>
    public static PecReceiptBuilder Notice(string type, string originalMessageId) => new(type, originalMessageId);

    /// <summary>
    /// A transport envelope (<c>X-Trasporto: posta-certificata</c>): how a PEC message someone sent us (e.g. a customer's
    /// reply) arrives, the message itself inside as <c>postacert.eml</c>.
    /// </summary>
    /// <param name="original">The message the customer sent.</param>
    public static PecReceiptBuilder TransportEnvelope(MimeMessage original)
    {
        ArgumentNullException.ThrowIfNull(original);
        var sender = original.From.Mailboxes.FirstOrDefault()?.Address ?? "cliente@pec.cliente.example.it";
        var builder = new PecReceiptBuilder("posta-certificata", original.MessageId) { _original = original, _subject = original.Subject ?? "" };
        builder._sender = sender;
        builder._recipients = original.To.Mailboxes.Select(m => m.Address).DefaultIfEmpty("solleciti@pec.creditrecovery.example.it").ToList();
        return builder;
    }

    /// <summary>The bytes of a message as IMAP APPEND sends it (CRLF line ends): what a server stores and returns.</summary>
    /// <param name="message">The message.</param>
    public static byte[] ToBytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var stream = new MemoryStream();
        message.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, stream);
        return stream.ToArray();
    }

    /// <summary>Sets the certified sender (<c>mittente</c>): our PEC address.</summary>
    /// <param name="sender">The address.</param>
    public PecReceiptBuilder From(string sender)
    {
        _sender = sender;
        return this;
    }

    /// <summary>Sets the recipients of the original message (<c>destinatari</c>).</summary>
    /// <param name="recipients">The addresses.</param>
    public PecReceiptBuilder To(params string[] recipients)
    {
        _recipients = [.. recipients];
        return this;
    }

    /// <summary>Sets the address the receipt concerns (<c>consegna</c>).</summary>
    /// <param name="recipient">The address.</param>
    public PecReceiptBuilder DeliveredTo(string recipient)
    {
        _delivery = recipient;
        if (!_recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase))
        {
            _recipients = [recipient];
        }

        return this;
    }

    /// <summary>Sets the error (<c>errore-esteso</c>) and the error code (<c>postacert/@errore</c>).</summary>
    /// <param name="error">The provider's explanation.</param>
    /// <param name="code"><c>no-dest</c>, <c>no-dominio</c>, <c>virus</c> or <c>altro</c>.</param>
    public PecReceiptBuilder WithError(string error, string code = "altro")
    {
        _error = error;
        _errorCode = code;
        return this;
    }

    /// <summary>Sets the original message's subject (<c>oggetto</c>); the receipt's subject is made from it.</summary>
    /// <param name="subject">The subject.</param>
    public PecReceiptBuilder Subject(string subject)
    {
        _subject = subject;
        return this;
    }

    /// <summary>Sets the certified time (<c>data</c>: <c>giorno</c>, <c>ora</c>, <c>zona</c>) and the Date header.</summary>
    /// <param name="at">The time with its offset, e.g. +01:00 in winter.</param>
    public PecReceiptBuilder CertifiedAt(OffsetDateTime at)
    {
        _at = at;
        return this;
    }

    /// <summary>Sets the provider issuing it (<c>gestore-emittente</c>) and its mail domain.</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="domain">The provider's PEC domain.</param>
    public PecReceiptBuilder Provider(string name, string domain)
    {
        _provider = name;
        _providerDomain = domain;
        return this;
    }

    /// <summary>Sets the receipt's own Message-ID (without angle brackets).</summary>
    /// <param name="messageId">The Message-ID.</param>
    public PecReceiptBuilder WithMessageId(string messageId)
    {
        MessageId = messageId;
        return this;
    }

    /// <summary>Attaches the original message as <c>postacert.eml</c> (full delivery receipt).</summary>
    /// <param name="original">The message sent.</param>
    public PecReceiptBuilder WithOriginal(MimeMessage original)
    {
        _original = original;
        return this;
    }

    /// <summary>Sets the delivery receipt form (<c>X-TipoRicevuta</c>, <c>ricevuta/@tipo</c>): completa, breve, sintetica.</summary>
    /// <param name="form">The form.</param>
    public PecReceiptBuilder Form(string form)
    {
        _receiptForm = form;
        return this;
    }

    /// <summary>Leaves out the <c>X-Riferimento-Message-ID</c> header (bad input).</summary>
    public PecReceiptBuilder WithoutReferenceHeader()
    {
        _referenceHeader = false;
        return this;
    }

    /// <summary>Leaves out <c>msgid</c> from <c>daticert.xml</c> (bad input).</summary>
    public PecReceiptBuilder WithoutMsgId()
    {
        _msgId = false;
        return this;
    }

    /// <summary>Leaves out the original Message-ID everywhere: neither header nor <c>msgid</c> (bad input).</summary>
    public PecReceiptBuilder WithoutReference()
    {
        _originalMessageId = null;
        return WithoutReferenceHeader().WithoutMsgId();
    }

    /// <summary>Uses this text as <c>daticert.xml</c> instead of the well-formed one (bad input).</summary>
    /// <param name="rawXml">The attachment's content.</param>
    public PecReceiptBuilder WithDaticert(string rawXml)
    {
        _rawDaticert = rawXml;
        return this;
    }

    /// <summary>Leaves out <c>daticert.xml</c> (bad input).</summary>
    public PecReceiptBuilder WithoutDaticert()
    {
        _withDaticert = false;
        return this;
    }

    /// <summary>Wraps the receipt in <c>multipart/signed</c> with a placeholder <c>smime.p7s</c>, as providers sign it.</summary>
    public PecReceiptBuilder Signed()
    {
        _signed = true;
        return this;
    }

    /// <summary>The <c>daticert.xml</c> this builder writes (with the providers' DOCTYPE line).</summary>
    public string DaticertXml()
    {
        if (_rawDaticert is not null)
        {
            return _rawDaticert;
        }

        var header = new XElement(
            "intestazione",
            new XElement("mittente", _sender),
            _recipients.Select(r => new XElement("destinatari", new XAttribute("tipo", "certificato"), r)),
            new XElement("risposte", _sender),
            new XElement("oggetto", _subject));
        var data = new XElement(
            "dati",
            new XElement("gestore-emittente", _provider),
            new XElement(
                "data",
                new XAttribute("zona", ZoneText(_at.Offset)),
                new XElement("giorno", _at.Date.ToString("dd'/'MM'/'yyyy", CultureInfo.InvariantCulture)),
                new XElement("ora", _at.TimeOfDay.ToString("HH':'mm':'ss", CultureInfo.InvariantCulture))),
            new XElement("identificativo", MessageId),
            _msgId && _originalMessageId is not null ? new XElement("msgid", "<" + Bare(_originalMessageId) + ">") : null,
            _type == "avvenuta-consegna" ? new XElement("ricevuta", new XAttribute("tipo", _receiptForm)) : null,
            _delivery is null ? null : new XElement("consegna", _delivery),
            _error is null ? null : new XElement("errore-esteso", _error));
        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XDocumentType("postacert", null, "Postacert.dtd", null),
            new XElement("postacert", new XAttribute("tipo", _type), new XAttribute("errore", _errorCode), header, data));
        var text = new StringBuilder();
        using (var writer = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false, Encoding = Encoding.UTF8 }))
        {
            document.Save(writer);
        }

        // StringBuilder output declares utf-16; the attachment is UTF-8.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
    }

    /// <summary>Builds the message.</summary>
    public MimeMessage Build()
    {
        var envelope = _type == "posta-certificata";
        var message = new MimeMessage();
        var providerAddress = "posta-certificata@" + _providerDomain;
        if (envelope)
        {
            message.From.Add(new MailboxAddress("Per conto di: " + _sender, providerAddress));
            message.ReplyTo.Add(MailboxAddress.Parse(_sender));
            message.To.AddRange(_recipients.Select(MailboxAddress.Parse));
            message.Headers.Add("X-Trasporto", "posta-certificata");
        }
        else
        {
            message.From.Add(MailboxAddress.Parse(providerAddress));
            message.To.Add(MailboxAddress.Parse(_sender));
            message.Headers.Add("X-Ricevuta", _type);
            if (_type == "avvenuta-consegna")
            {
                message.Headers.Add("X-TipoRicevuta", _receiptForm);
            }
        }

        if (_referenceHeader && _originalMessageId is not null)
        {
            message.Headers.Add("X-Riferimento-Message-ID", "<" + Bare(_originalMessageId) + ">");
        }

        message.Subject = SubjectPrefix() + _subject;
        message.Date = _at.ToDateTimeOffset();
        message.MessageId = MessageId;

        var text = HumanText();
        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = text },
            new TextPart("html") { Text = "<html><body><h3>" + System.Net.WebUtility.HtmlEncode(Title()) + "</h3><p>" + System.Net.WebUtility.HtmlEncode(text).Replace("\n", "<br/>", StringComparison.Ordinal) + "</p></body></html>" },
        };
        var mixed = new Multipart("mixed") { alternative };
        if (_original is not null && (envelope || _type == "avvenuta-consegna"))
        {
            mixed.Add(new MessagePart("rfc822")
            {
                Message = _original,
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "postacert.eml" },
            });
        }

        if (_withDaticert)
        {
            var daticert = new MimePart("application", "xml")
            {
                Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(DaticertXml()))),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "daticert.xml" },
                ContentTransferEncoding = ContentEncoding.Base64,
            };
            daticert.ContentType.Name = "daticert.xml";
            mixed.Add(daticert);
        }

        if (_signed)
        {
            var signed = new Multipart("signed") { mixed };
            signed.ContentType.Parameters.Add("protocol", "application/pkcs7-signature");
            signed.ContentType.Parameters.Add("micalg", "sha-256");
            var signature = new MimePart("application", "pkcs7-signature")
            {
                Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes("placeholder, not a signature"))),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "smime.p7s" },
                ContentTransferEncoding = ContentEncoding.Base64,
            };
            signature.ContentType.Name = "smime.p7s";
            signed.Add(signature);
            message.Body = signed;
        }
        else
        {
            message.Body = mixed;
        }

        return message;
    }

    private static string Bare(string messageId) => messageId.Trim().TrimStart('<').TrimEnd('>');

    private static string ZoneText(Offset offset)
    {
        var seconds = offset.Seconds;
        var sign = seconds < 0 ? "-" : "+";
        seconds = Math.Abs(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{seconds / 3600:D2}{seconds % 3600 / 60:D2}");
    }

    private string SubjectPrefix() => _type switch
    {
        "accettazione" => "ACCETTAZIONE: ",
        "non-accettazione" => "AVVISO DI NON ACCETTAZIONE: ",
        "presa-in-carico" => "PRESA IN CARICO: ",
        "avvenuta-consegna" => "CONSEGNA: ",
        "errore-consegna" => "AVVISO DI MANCATA CONSEGNA: ",
        "preavviso-errore-consegna" => "AVVISO DI MANCATA CONSEGNA PER SUP. TEMPO MASSIMO: ",
        "rilevazione-virus" => "PROBLEMA DI SICUREZZA: ",
        "posta-certificata" => "POSTA CERTIFICATA: ",
        _ => "ANOMALIA MESSAGGIO: ",
    };

    private string Title() => _type switch
    {
        "accettazione" => "Ricevuta di accettazione",
        "non-accettazione" => "Avviso di non accettazione",
        "presa-in-carico" => "Ricevuta di presa in carico",
        "avvenuta-consegna" => "Ricevuta di avvenuta consegna",
        "errore-consegna" => "Avviso di mancata consegna",
        "preavviso-errore-consegna" => "Avviso di mancata consegna per superamento dei tempi massimi",
        "rilevazione-virus" => "Avviso di rilevazione virus",
        "posta-certificata" => "Messaggio di posta certificata",
        _ => "Avviso",
    };

    private string HumanText()
    {
        var day = _at.Date.ToString("dd'/'MM'/'yyyy", CultureInfo.InvariantCulture);
        var time = _at.TimeOfDay.ToString("HH':'mm':'ss", CultureInfo.InvariantCulture) + " (" + ZoneText(_at.Offset) + ")";
        var recipients = string.Join(", ", _recipients);
        var body = _type switch
        {
            "accettazione" => $"Il giorno {day} alle ore {time} il messaggio \"{_subject}\" proveniente da \"{_sender}\" ed indirizzato a: {recipients} è stato accettato dal sistema ed inoltrato.",
            "avvenuta-consegna" => $"Il giorno {day} alle ore {time} il messaggio \"{_subject}\" proveniente da \"{_sender}\" ed indirizzato a \"{_delivery}\" è stato consegnato nella casella di destinazione.",
            "errore-consegna" => $"Il giorno {day} alle ore {time} nel messaggio \"{_subject}\" proveniente da \"{_sender}\" ed indirizzato a \"{_delivery}\" è stato rilevato un errore: {_error}. Il messaggio non è stato consegnato.",
            "non-accettazione" => $"Il giorno {day} alle ore {time} il messaggio \"{_subject}\" proveniente da \"{_sender}\" non è stato accettato per il seguente motivo: {_error}.",
            "posta-certificata" => $"Il giorno {day} alle ore {time} il messaggio \"{_subject}\" è stato inviato da \"{_sender}\" indirizzato a: {recipients}. Il messaggio originale è incluso in allegato.",
            _ => $"Il giorno {day} alle ore {time} per il messaggio \"{_subject}\" proveniente da \"{_sender}\" è stato emesso l'avviso \"{_type}\".{(_error is null ? "" : " " + _error)}",
        };
        return Title() + "\n\n" + body + "\nIdentificativo messaggio: " + MessageId;
    }
}
