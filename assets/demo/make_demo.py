#!/usr/bin/env python3
"""Writes assets/demo/demo.mbox: the mailbox `hopscope --demo` opens.

A fictional clinic (Northwind Clinic, northwind-clinic.example) receives mail from patients,
labs, insurers and partners. Every person and organisation is invented; every address is from a
documentation range (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32). The header
*shapes* follow real software (Postfix, Exim, sendmail, Exchange Online, Gmail, Proofpoint, ...),
so the demo exercises every verdict and every basis. Deterministic: rerun to regenerate.

    python3 assets/demo/make_demo.py
"""
import datetime as dt
import os
import random

R = random.Random(20261203)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo.mbox")

CLINIC_MX = "mx1.northwind-clinic.example"
CLINIC_IP = "203.0.113.25"
ME = "Dr. Ana Reyes <ana.reyes@northwind-clinic.example>"
ME_ADDR = "ana.reyes@northwind-clinic.example"

BASE = dt.datetime(2026, 11, 2, 8, 0, 0, tzinfo=dt.timezone.utc)


def fmt(t, tz_hours=0, comment=""):
    tz = dt.timezone(dt.timedelta(hours=tz_hours))
    lt = t.astimezone(tz)
    sign = "+" if tz_hours >= 0 else "-"
    s = lt.strftime("%a, %d %b %Y %H:%M:%S ") + f"{sign}{abs(tz_hours):02d}00"
    return s + (f" ({comment})" if comment else "")


def qid(n=10, alphabet="0123456789ABCDEF"):
    return "".join(R.choice(alphabet) for _ in range(n))


# --- receiver formats: each returns one Received field body ----------------------------------

def postfix(frm, rdns, ip, by, t, proto="ESMTPS", tls=None, to=ME_ADDR, tz=0):
    tls_note = f"\n\t(using {tls[0]} with cipher {tls[1]} ({tls[2]}/{tls[2]} bits))\n\t(No client certificate requested)" if tls else ""
    return (f"from {frm} ({rdns} [{ip}]){tls_note}\n\tby {by} (Postfix) with {proto} id {qid(11)}\n"
            f"\tfor <{to}>; {fmt(t, tz, 'UTC' if tz == 0 else '')}")


def lmtp(t, by=CLINIC_MX):
    return (f"from {by}\n\tby imap1.northwind-clinic.example with LMTP\n\tid {qid(22, 'abcdefghijkmnopqrstuvwxyzABCDEFGH0123456789')}\n"
            f"\t(envelope-from <bounce@{by}>)\n\tfor <{ME_ADDR}>; {fmt(t, 1)}")


def amavis(t):
    return (f"from {CLINIC_MX} ([127.0.0.1])\n\tby localhost (amavis.northwind-clinic.example [127.0.0.1]) (amavis, port 10024)\n"
            f"\twith ESMTP id {qid(12, 'abcdefghijklmnopqrstuvwxyz0123456789')}; {fmt(t, 1)}")


def gmail_submit(ip6, t, helo="[192.168.1.20]"):
    return (f"from {helo} ([{ip6}])\n        by smtp.gmail.com with ESMTPSA id {qid(12, '0123456789abcdef')}.{R.randint(10,99)}.2026.11.{R.randint(10,30)}\n"
            f"        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n        {fmt(t, -8, 'PST')}")


def gmail_internal(t):
    return (f"by 2002:a05:6a20:{qid(4,'0123456789abcdef')}:b0:{qid(3,'0123456789abcdef')}:{qid(4,'0123456789abcdef')} with SMTP id {qid(10,'0123456789abcdef')}csp{R.randint(100000,999999)};\n"
            f"        {fmt(t, -8, 'PST')}")


def exchange_online(frm, frm_ip, by, by_ip, t, tls="TLS1_2"):
    return (f"from {frm} ({frm_ip}) by\n {by} ({by_ip}) with Microsoft SMTP\n Server (version={tls}, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.8{R.randint(100,999)}.12;\n"
            f" {fmt(t, 0)}")


def exchange_mapi(host, t):
    return (f"from {host}\n ([fe80::{qid(4,'0123456789abcdef')}:{qid(4,'0123456789abcdef')}:{qid(4,'0123456789abcdef')}:{qid(4,'0123456789abcdef')}]) by {host}\n"
            f" ([fe80::{qid(4,'0123456789abcdef')}:{qid(4,'0123456789abcdef')}%5]) with mapi id 15.20.8{R.randint(100,999)}.013; {fmt(t, 0)}")


def sendmail(frm, rdns, ip, by, t, tls=None, tz=-5):
    note = f"\n\t({tls})" if tls else ""
    return (f"from {frm} ({rdns} [{ip}])\n\tby {by} (8.15.2/8.15.2) with ESMTP id {qid(14, 'abcdefghijklmnopqrstuvwxyzABCDEF0123456789')}{note}\n"
            f"\tfor <{ME_ADDR}>; {fmt(t, tz)}")


def sendmail_submit(user, by, t, tz=-5):
    return f"(from {user}@localhost)\n\tby {by} (8.15.2/8.15.2/Submit) id {qid(14, 'abcdefghijklmnopqrstuvwxyz0123456789')};\n\t{fmt(t, tz)}"


def exim(rdns, ip, helo, by, t, proto="esmtps", tls=None, tz=0):
    tlsnote = f" ({tls[0]}) tls {tls[1]}" if tls else ""
    return (f"from {rdns} ([{ip}] helo={helo})\n\tby {by} with {proto}{tlsnote}\n\t(Exim 4.97)\n"
            f"\t(envelope-from <noreply@{helo}>)\n\tid 1t{qid(4,'abcdefghijklmnopqrstuvwxyz0123456789')}-000{qid(3,'0123456789ABCDEF')}-{qid(2,'ABCDEF0123')};\n\t{fmt(t, tz)}")


def proofpoint(rdns_unknown_ip, helo, by, t, tls=None):
    note = f"\n        (using {tls[0]} with cipher {tls[1]} (256/256 bits))\n\twith ESMTP id {qid(6,'0123456789')}-{qid(8,'0123456789abcdef')}" if tls else ""
    return (f"from unknown [{rdns_unknown_ip}] (EHLO {helo})\n\tby {by}{note}\n        (envelope-from <mailer@{helo}>);\n"
            f"\t{fmt(t, -7, 'MST')}")


def qmail_invoked(uid, t):
    return f"(qmail {R.randint(1000,99999)} invoked by uid {uid}); {fmt(t, 0)}"


def qmail_network(frm, ip, by, t):
    return f"from {frm} (HELO {frm}) ({ip})\n  by {by} with SMTP; {fmt(t, 0)}"


def qpsmtpd(frm, ip, by, t):
    return f"from {frm} (HELO {frm}) ({ip})\n  by {by} (qpsmtpd/0.96) with (ECDHE-RSA-AES256-GCM-SHA384 encrypted) ESMTPS; {fmt(t, 1)}"


def courier(frm, ip, by, t):
    return (f"from {frm} ({frm} [{ip}])\n  (TLS: TLSv1.2, 256bits, ECDHE-RSA-AES256-GCM-SHA384)\n  (AUTH: LOGIN billing)\n"
            f"  by {by} with ESMTPSA; {fmt(t, 2)}\n  id 0000{qid(4)}.{qid(8)}.{qid(8)}")


def opensmtpd(frm, ip, by, t, proto="ESMTPS"):
    return (f"from {frm} ({frm} [{ip}])\n\tby {by} (OpenSMTPD) with {proto} id {qid(8,'0123456789abcdef')}\n"
            f"\t(TLSv1.3:AEAD-AES256-GCM-SHA384:256:NO)\n\tfor <{ME_ADDR}>;\n\t{fmt(t, 0, 'UTC')}")


def stalwart(frm, ip, by, t):
    return (f"from {frm} ({frm} [{ip}]) (using TLSv1.3 with cipher TLS13_AES_256_GCM_SHA384)\n\t by {by} (Stalwart SMTP) with ESMTPS id {qid(11)};\n"
            f"\t{fmt(t, 0)}")


def communigate(frm, ip, by, t, proto="ESMTPS"):
    return f"from {frm} ([{ip}] verified)\n  by {by} (CommuniGate Pro SMTP 6.3.19)\n  with {proto} id {R.randint(1000000,9999999)} for {ME_ADDR}; {fmt(t, 3)}"


def ironport(frm, ip, by, t):
    return f"from {frm} (HELO {frm}) ([{ip}])\n  by {by} with ESMTP/TLS/ECDHE-RSA-AES256-GCM-SHA384; {fmt(t, 0)}"


def mimecast(frm, ip, by, t):
    return (f"from {frm} ({frm} [{ip}]) by\n relay.mimecast.com with ESMTP with both STARTTLS and AUTH (version=TLSv1.2,\n"
            f" cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id uk-mta-{R.randint(10,99)}-{qid(22,'abcdefghijklmnopqrstuvwxyzABC0123456789')}-1; {fmt(t, 0)}")


def ses(t):
    return (f"from a{R.randint(10,99)}-{R.randint(10,99)}.smtp-out.amazonses.com (a{R.randint(10,99)}-{R.randint(10,99)}.smtp-out.amazonses.com [2001:db8:5e5::{R.randint(10,99)}])\n"
            f"\tby {CLINIC_MX} (Postfix) with ESMTPS id {qid(11)}\n\tfor <{ME_ADDR}>; {fmt(t, 0, 'UTC')}")


def smtpsvc(frm, ip, by, t):
    return f"from {frm} ([{ip}]) by {by} with Microsoft SMTPSVC(10.0.17763.1697);\n\t {fmt(t, -6)}"


def zmailer(rdns, ip, helo, by, t):
    return (f"from {rdns} ([{ip}]:{R.randint(20000,60000)} \"EHLO {helo}\" rhost-flags-OK-OK-OK-OK)\n"
            f"        by {by} with ESMTP id S{R.randint(1000000,9999999)}AbzKBC{qid(3)} (ORCPT <rfc822;{ME_ADDR}>);\n        {fmt(t, -5)}")


def yahoo_http(ip, t):
    return f"from [{ip}] by web{R.randint(10000,99999)}.mail.ne1.yahoo.com via HTTP; {fmt(t, -8)}"


def yahoo_out(by_ip, t):
    return (f"from sonic{R.randint(300,399)}-{R.randint(10,40)}.consmr.mail.ne1.yahoo.com (sonic.gate.mail.ne1.yahoo.com [{by_ip}])\n"
            f"\tby {CLINIC_MX} (Postfix) with ESMTPS id {qid(11)}\n\tfor <{ME_ADDR}>; {fmt(t, 0, 'UTC')}")


def icloud(ip6, t):
    return (f"from smtpclient.apple (unknown [{ip6}])\n\tby p00-icloudmta-asmtp-us-west-2a-60-percent-{R.randint(1,9)}.p00-icloudmta-asmtp-vip.icloud-mail-production.svc.kube.us-west-2.aws.cloud.me.com (Postfix) with ESMTPSA id {qid(11)}\n"
            f"\tfor <{ME_ADDR}>; {fmt(t, 0, 'UTC')}")


def haraka(frm, ip, by, t, proto="ESMTP"):
    return f"from {frm} ([{ip}])\n\tby {by} (Haraka/3.0.3) with {proto} id {qid(8)}-{qid(4)}-{qid(4)}-{qid(4)}-{qid(12)}.1\n\tenvelope-from <news@{frm}>; {fmt(t, 0)}"


def zimbra_lmtp(by, t):
    return f"from localhost (localhost [127.0.0.1])\n\tby {by} (Postfix) with ESMTP id {qid(11)};\n\t{fmt(t, 1)}"


def cyrus_lmtp(t):
    return f"from imap1.northwind-clinic.example ([unix socket])\n\t by imap1.northwind-clinic.example (Cyrus 3.8.3) with LMTPA;\n\t {fmt(t, 1)}"


# --- people and organisations ----------------------------------------------------------------

PATIENTS = ["Maya Lindqvist", "Tomás Okafor", "Priya Raman", "Jonas Weber", "Leila Haddad",
            "Chen Wei", "Sofia Marques", "Daniel Kowalski", "Amara Nwosu", "Hugo Laurent",
            "Ingrid Solberg", "Ravi Menon", "Elena Petrova", "Kofi Mensah", "Aiko Tanaka"]


def email_of(name, domain):
    return name.lower().replace(" ", ".").replace("á", "a") + "@" + domain


class Msg:
    def __init__(self, sender, subject, received, t, extra=None):
        self.sender, self.subject, self.received, self.t, self.extra = sender, subject, received, t, extra or []


msgs = []
t = BASE


def step(minutes=47):
    global t
    t = t + dt.timedelta(minutes=R.randint(minutes // 2, minutes * 2), seconds=R.randint(0, 59))
    return t


def sec(base, s):
    return base + dt.timedelta(seconds=s)


def auth(spf="pass", dkim="pass", dmarc="pass", d="example.org"):
    return f"Authentication-Results: {CLINIC_MX};\n\tdkim={dkim} header.d={d};\n\tspf={spf} smtp.mailfrom={d};\n\tdmarc={dmarc} (p=quarantine) header.from={d}"


# Gmail patients: encrypted end to end (TLS 1.3 submission, Gmail → clinic TLS 1.3).
for i in range(6):
    p = PATIENTS[i]
    t0 = step()
    ip6 = f"2001:db8:4860:{i+1}::{R.randint(10,99)}"
    rec = [
        lmtp(sec(t0, 4)),
        postfix(f"mail-wr1-f{40+i}.google.com", f"mail-wr1-f{40+i}.google.com", f"2001:db8:4860:4864::{30+i}", CLINIC_MX, sec(t0, 3),
                tls=("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256)),
        gmail_internal(sec(t0, 2)),
        gmail_submit(f"2001:db8:c0a:{i+1}::{R.randint(2,90)}", sec(t0, 1)),
    ]
    subj = ["Appointment next Tuesday", "Lab results question", "Prescription refill", "Insurance card photo",
            "Re: Follow-up visit", "Vaccination record"][i]
    msgs.append(Msg(f"{p} <{email_of(p, 'gmail.com')}>", subj, rec, t0, [auth(d="gmail.com")]))

# Microsoft 365 partners: EOP internal TLS 1.2, mapi submission, TLS 1.2 to the clinic.
for i, (org, subj) in enumerate([("harbor-insurance.example", "Claim 48213 approved"),
                                  ("harbor-insurance.example", "Pre-authorisation request"),
                                  ("lakeside-hospital.example", "Discharge summary for your patient"),
                                  ("lakeside-hospital.example", "Referral: cardiology"),
                                  ("bright-pharmacy.example", "Dispensing confirmation")]):
    t0 = step()
    tenant = org.split(".")[0].upper()[:6]
    rec = [
        lmtp(sec(t0, 5)),
        postfix(f"EUR05-AM6-obe.outbound.protection.outlook.com", f"mail-am6eur05on20{700+i}.outbound.protection.outlook.com",
                f"2001:db8:111:f400::{700+i}", CLINIC_MX, sec(t0, 4), tls=("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", 256)),
        exchange_online(f"AM8PR0{i}MB{7000+i}.eurprd0{i}.prod.outlook.com", f"2603:10a6:20b:{i}::{i+3}",
                        f"AS8PR0{i}MB{8000+i}.eurprd0{i}.prod.outlook.com", f"2603:10a6:20b:{i}::{i+9}", sec(t0, 2)),
        exchange_mapi(f"AM8PR0{i}MB{7000+i}.eurprd0{i}.prod.outlook.com", sec(t0, 1)),
    ]
    name = R.choice(["Grace Whitfield", "Omar Farouk", "Lena Brandt", "Pieter de Vries", "Nadia Rahman"])
    msgs.append(Msg(f"{name} <{email_of(name, org)}>", subj, rec, t0, [auth(d=org)]))

# A small practice on sendmail: TLS with OpenSSL's "TLSv1/SSLv3" (version unspecified).
for i in range(3):
    t0 = step()
    rec = [
        lmtp(sec(t0, 3)),
        postfix("mail.oak-family-practice.example", "mail.oak-family-practice.example", "198.51.100.40", CLINIC_MX, sec(t0, 2),
                proto="ESMTPS"),
        sendmail_submit("drpatel", "mail.oak-family-practice.example", sec(t0, 1)),
    ]
    msgs.append(Msg("Dr. Vikram Patel <v.patel@oak-family-practice.example>", ["Shared patient: medication list", "Locum cover in December", "Re: Referral letter"][i], rec, t0))

for i in range(2):
    t0 = step()
    rec = [
        lmtp(sec(t0, 3)),
        sendmail("relay.oak-family-practice.example", "relay.oak-family-practice.example", "198.51.100.41", "gw.northwind-clinic.example", sec(t0, 2),
                 tls="version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NOT"),
        sendmail_submit("frontdesk", "relay.oak-family-practice.example", sec(t0, 1)),
    ]
    msgs.append(Msg("Front Desk <frontdesk@oak-family-practice.example>", ["Fax cover replacement", "Holiday opening hours"][i], rec, t0))

# Acme Labs on Exim sends to the clinic's Postfix, which wrote plain ESMTP: plaintext, basis keyword.
for i in range(4):
    t0 = step()
    rec = [
        lmtp(sec(t0, 3)),
        postfix("smtp.acme-labs.example", "smtp.acme-labs.example", "192.0.2.80", CLINIC_MX, sec(t0, 2), proto="ESMTP"),
        exim("app1.acme-labs.example", "10.20.0.5", "app1.acme-labs.example", "smtp.acme-labs.example", sec(t0, 1), proto="esmtp"),
    ]
    msgs.append(Msg("Acme Labs Results <results@acme-labs.example>", [f"Results ready: sample {4410+i}" for _ in range(4)][i], rec, t0,
                    [auth(spf="pass", dkim="none", dmarc="fail", d="acme-labs.example")]))

# An old fax gateway: TLS 1.0 with 3DES (weak). And a legacy device with RC4 via sendmail.
for i in range(3):
    t0 = step()
    rec = [
        lmtp(sec(t0, 2)),
        postfix("faxgw.valley-imaging.example", "faxgw.valley-imaging.example", "2001:db8:fa0::2", CLINIC_MX, sec(t0, 1),
                tls=("TLSv1", "DES-CBC3-SHA", 168)),
    ]
    msgs.append(Msg("Valley Imaging Fax <fax@valley-imaging.example>", f"Fax from Valley Imaging ({i+2} pages)", rec, t0))
t0 = step()
msgs.append(Msg("Scanner <scanner@old-ortho.example>", "Scanned document", [
    lmtp(sec(t0, 2)),
    sendmail("scanner.old-ortho.example", "scanner.old-ortho.example", "2001:db8:0e0::7", "gw.northwind-clinic.example", sec(t0, 1),
             tls="version=TLSv1/SSLv3 cipher=RC4-MD5 bits=128 verify=NO"),
], t0))

# Proofpoint-protected partner: patients' mail arrives through Proofpoint, sometimes with a TLS
# note, sometimes with none. The silent ones are plaintext on basis "mailbox".
PP = "mx0b-00231701.pphosted.com"
for i in range(6):
    t0 = step()
    with_tls = i % 2 == 0
    rec = [
        lmtp(sec(t0, 4)),
        postfix(PP, PP, "2001:db8:b0b::17", CLINIC_MX, sec(t0, 3), tls=("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", 256)),
        proofpoint(f"2001:db8:ea5e:{i}::{40+i}", f"mta{i+1}.riverbend-health.example", PP, sec(t0, 2),
                   tls=("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384") if with_tls else None),
        postfix("ehr.riverbend-health.example", "ehr.riverbend-health.example", "10.8.0.4", f"mta{i+1}.riverbend-health.example", sec(t0, 1), proto="ESMTP"),
    ]
    name = PATIENTS[6 + i]
    msgs.append(Msg(f"Riverbend Health <notify@riverbend-health.example>", f"Care team update for {name}", rec, t0))

# Another Proofpoint host that never wrote a TLS note in this mailbox: basis "provider".
for i in range(2):
    t0 = step()
    rec = [
        lmtp(sec(t0, 3)),
        postfix("mx0a-00557788.pphosted.com", "mx0a-00557788.pphosted.com", "2001:db8:b0c::18", CLINIC_MX, sec(t0, 2),
                tls=("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256)),
        proofpoint(f"2001:db8:51:{i}::9", "smtp.summit-dental.example", "mx0a-00557788.pphosted.com", sec(t0, 1)),
    ]
    msgs.append(Msg("Summit Dental <office@summit-dental.example>", ["Recall reminder list", "X-ray transfer"][i], rec, t0))

# A billing partner on qmail relays mail; its own inbound hop records nothing: unrecorded.
for i in range(3):
    t0 = step()
    rec = [
        lmtp(sec(t0, 4)),
        postfix("mail.quickbill.example", "mail.quickbill.example", "2001:db8:b111::3", CLINIC_MX, sec(t0, 3),
                tls=("TLSv1.3", "TLS_AES_128_GCM_SHA256", 128)),
        qmail_network(f"portal{i}.medpay-partners.example", f"2001:db8:3ed:{i}::5", "mail.quickbill.example", sec(t0, 2)),
        qmail_invoked(89, sec(t0, 1)),
    ]
    msgs.append(Msg("QuickBill <invoices@quickbill.example>", f"Invoice 2026-{1100+i}", rec, t0))

# IIS SMTP (SMTPSVC) at a partner relays a form: unrecorded (IIS never notes TLS).
for i in range(2):
    t0 = step()
    rec = [
        lmtp(sec(t0, 3)),
        postfix("relay.county-health.example", "relay.county-health.example", "2001:db8:c0:1::25", CLINIC_MX, sec(t0, 2),
                tls=("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", 128)),
        smtpsvc("forms.state-registry.example", f"2001:db8:57a7:{i}::4", "relay.county-health.example", sec(t0, 1)),
    ]
    msgs.append(Msg("County Health <alerts@county-health.example>", ["Immunisation registry notice", "Outbreak advisory"][i], rec, t0))

# ZMailer list server delivers a newsletter in plain ESMTP: unrecorded.
t0 = step()
msgs.append(Msg("Med-List <med-list@lists.medinfo.example>", "[med-list] Weekly digest", [
    lmtp(sec(t0, 3)),
    postfix("lists.medinfo.example", "lists.medinfo.example", "2001:db8:11:5::20", CLINIC_MX, sec(t0, 2), proto="ESMTPS"),
    zmailer("news.medinfo-contrib.example", "2001:db8:12:1::9", "news.medinfo-contrib.example", "lists.medinfo.example", sec(t0, 1)),
], t0))

# Courier, OpenSMTPD, Stalwart, CommuniGate, qpsmtpd, IronPort, Mimecast, SES, iCloud, Yahoo, Haraka.
t0 = step()
msgs.append(Msg("Billing <billing@pinecone-pt.example>", "Physiotherapy invoice", [
    lmtp(sec(t0, 2)),
    courier("mail.pinecone-pt.example", "2001:db8:91::2", CLINIC_MX, sec(t0, 1))], t0))
for i in range(2):
    t0 = step()
    msgs.append(Msg("Hanne Berg <hanne@berg-psych.example>", ["Session notes (encrypted attachment)", "Re: scheduling"][i], [
        lmtp(sec(t0, 2)),
        opensmtpd("mail.berg-psych.example", "2001:db8:be:1::5", CLINIC_MX, sec(t0, 1))], t0))
for i in range(2):
    t0 = step()
    msgs.append(Msg("Nordic Telehealth <noreply@nordic-telehealth.example>", ["Video visit booked", "Video visit summary"][i], [
        lmtp(sec(t0, 2)),
        stalwart("mail.nordic-telehealth.example", "2001:db8:ab::1", CLINIC_MX, sec(t0, 1))], t0))
t0 = step()
msgs.append(Msg("Kiril Stoyanov <k.stoyanov@balkan-med.example>", "Conference abstract", [
    lmtp(sec(t0, 3)),
    postfix("mail.balkan-med.example", "mail.balkan-med.example", "2001:db8:ba1::2", CLINIC_MX, sec(t0, 2), proto="ESMTPS"),
    communigate("[2001:db8:ba1::77]", "2001:db8:ba1::77", "mail.balkan-med.example", sec(t0, 1), proto="ESMTPSA")], t0))
t0 = step()
msgs.append(Msg("Peer Review <review@journal-of-care.example>", "Manuscript decision", [
    lmtp(sec(t0, 2)),
    qpsmtpd("smtp.journal-of-care.example", "2001:db8:70c::8", CLINIC_MX, sec(t0, 1))], t0))
for i in range(2):
    t0 = step()
    msgs.append(Msg("MedSupply Orders <orders@medsupply.example>", ["Order shipped", "Backorder notice"][i], [
        lmtp(sec(t0, 3)),
        postfix("esa2.medsupply.iphmx.com", "esa2.medsupply.iphmx.com", "2001:db8:1f0::2", CLINIC_MX, sec(t0, 2),
                tls=("TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", 256)),
        ironport("app.medsupply.example", "2001:db8:1f1::9", "esa2.medsupply.iphmx.com", sec(t0, 1))], t0))
for i in range(2):
    t0 = step()
    msgs.append(Msg("Legal <legal@whitman-law.example>", ["Consent form review", "Records request (subpoena)"][i], [
        lmtp(sec(t0, 3)),
        postfix("eu-smtp-delivery-1.mimecast.com", "eu-smtp-delivery-1.mimecast.com", "2001:db8:3c::1", CLINIC_MX, sec(t0, 2),
                tls=("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256)),
        mimecast("exch1.whitman-law.example", "2001:db8:3d::4", "relay.mimecast.com", sec(t0, 1))], t0))
for i in range(2):
    t0 = step()
    msgs.append(Msg("PatientPortal <no-reply@patientportal.example>", ["New message in your portal", "Password changed"][i], [
        lmtp(sec(t0, 2)), ses(sec(t0, 1))], t0))
t0 = step()
msgs.append(Msg("Olivia Grant <olivia.grant@icloud.com>", "Photo of rash", [
    lmtp(sec(t0, 3)),
    postfix("mr85p00im-zteg06011601.me.com", "mr85p00im-zteg06011601.me.com", "2001:db8:17:1::5", CLINIC_MX, sec(t0, 2),
            tls=("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256)),
    icloud("2001:db8:c1::44", sec(t0, 1))], t0))
for i in range(2):
    t0 = step()
    msgs.append(Msg(f"{PATIENTS[12+i]} <{email_of(PATIENTS[12+i], 'yahoo.com')}>", ["Question about my bill", "Cancel appointment"][i], [
        lmtp(sec(t0, 3)),
        yahoo_out(f"2001:db8:ff:{i}::3", sec(t0, 2)),
        yahoo_http(f"2001:db8:ffe:{i}::1", sec(t0, 1))], t0))
t0 = step()
msgs.append(Msg("Wellness News <news@wellness-weekly.example>", "Five tips for winter", [
    lmtp(sec(t0, 3)),
    postfix("out.wellness-weekly.example", "out.wellness-weekly.example", "2001:db8:fe11::2", CLINIC_MX, sec(t0, 2), proto="ESMTP"),
    haraka("cms.wellness-weekly.example", "10.4.4.4", "out.wellness-weekly.example", sec(t0, 1))], t0))

# Internal mail: colleagues at the clinic (submission on the private network, amavis, LMTP).
for i, (who, subj) in enumerate([("Ben Ortiz", "Rota for next week"), ("Claire Dubois", "Staff meeting notes"),
                                 ("IT Desk", "Scheduled maintenance Saturday"), ("Ben Ortiz", "Re: Rota for next week"),
                                 ("Claire Dubois", "Training: new EHR module")]):
    t0 = step()
    rec = [
        lmtp(sec(t0, 3)),
        amavis(sec(t0, 2)),
        postfix("[10.1.0.23]", "ws23.office.northwind-clinic.example", f"10.1.0.{23+i}", CLINIC_MX, sec(t0, 1), proto="ESMTPSA"),
    ]
    msgs.append(Msg(f"{who} <{email_of(who, 'northwind-clinic.example')}>", subj, rec, t0))
# Zimbra-style local re-injection and a Cyrus LMTP delivery, both internal.
t0 = step()
msgs.append(Msg("Lab Printer <printer@northwind-clinic.example>", "Scan to email", [
    cyrus_lmtp(sec(t0, 2)),
    zimbra_lmtp(CLINIC_MX, sec(t0, 1))], t0))

# No Received header at all: saved drafts and locally written notes.
for subj in ["Draft: letter to insurer", "Note to self: call lab"]:
    t0 = step()
    msgs.append(Msg(ME, subj, [], t0))

# Hostile and odd inputs the UI must show inert: escape sequences, bidi override, 8-bit bytes,
# an encoded-word subject, a clock skew, an invalid date.
t0 = step()
msgs.append(Msg("\"Totally Legit \x1b[31mBank\x1b[0m\" <alerts@secure-bank-login.example>", "Urgent \x1b]0;pwned\x07 verify \u202etxt.exe", [
    lmtp(sec(t0, 2)),
    postfix("bulk.secure-bank-login.example", "unknown", "2001:db8:bad::1", CLINIC_MX, sec(t0, 1), proto="ESMTP")], t0))
t0 = step()
msgs.append(Msg("=?utf-8?q?Jos=C3=A9_Garc=C3=ADa?= <jose.garcia@consultorio-sol.example>", "=?utf-8?q?Cita_m=C3=A9dica_ma=C3=B1ana?=", [
    lmtp(sec(t0, 2)),
    postfix("smtp.consultorio-sol.example", "smtp.consultorio-sol.example", "2001:db8:501::2", CLINIC_MX, sec(t0, 1),
            tls=("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256", 256))], t0))
t0 = step()
msgs.append(Msg("Clock Skew Test <ops@drifting-clock.example>", "Delivery report (sender clock is fast)", [
    lmtp(sec(t0, 2)),
    postfix("mail.drifting-clock.example", "mail.drifting-clock.example", "2001:db8:d1f::2", CLINIC_MX, sec(t0, 1),
            tls=("TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256", 128)),
    sendmail_submit("ops", "mail.drifting-clock.example", sec(t0, 600), tz=0)], t0))
t0 = step()
bad = postfix("mail.broken-date.example", "mail.broken-date.example", "2001:db8:bd::2", CLINIC_MX, sec(t0, 1),
              tls=("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256))
bad = bad.rsplit(";", 1)[0] + "; Mon, 32 Foo 1911 99:99:99 +9999"
msgs.append(Msg("Broken Date <x@broken-date.example>", "Header with an impossible date", [lmtp(sec(t0, 2)), bad], t0))
t0 = step()
msgs.append(Msg("Old Friend <friend@latin1-mail.example>", "Gr\udcfc\udcdfe aus K\udcf6ln", [
    lmtp(sec(t0, 2)),
    postfix("mx.latin1-mail.example", "mx.latin1-mail.example", "2001:db8:1a7::2", CLINIC_MX, sec(t0, 1), proto="ESMTPSA")], t0))


def to_bytes(s):
    return s.encode("utf-8", "surrogateescape")


with open(OUT, "wb") as f:
    for n, m in enumerate(msgs, 1):
        f.write(to_bytes(f"From mailer@northwind-clinic.example {m.t.strftime('%a %b %d %H:%M:%S %Y')}\n"))
        for r in m.received:
            f.write(to_bytes("Received: " + r + "\n"))
        for e in m.extra:
            f.write(to_bytes(e + "\n"))
        f.write(to_bytes(f"From: {m.sender}\nTo: {ME}\nSubject: {m.subject}\nDate: {fmt(m.t, 0)}\n"
                         f"Message-ID: <demo-{n:03d}.{qid(8, '0123456789abcdef')}@hopscope.example>\nMIME-Version: 1.0\n"
                         "Content-Type: text/plain; charset=utf-8\n\n(demo message body)\n\n"))
print(f"wrote {len(msgs)} messages to {OUT}")
