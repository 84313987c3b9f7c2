//! A generated mailbox for benchmarks: messages of 3-8 hops in the shapes of real MTAs.

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn hop(rng: &mut Rng, i: usize, org: &str, next_org: &str) -> String {
    let ip = format!("2001:db8:{:x}::{:x}", rng.below(4000), rng.below(250) + 1);
    let date = format!("Mon, 2 Nov 2026 10:{:02}:{:02} +0000", i, rng.below(60));
    match rng.below(8) {
        0 => format!(
            "from mx{i}.{org} (mx{i}.{org} [{ip}])\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n\t(No client certificate requested)\r\n\tby mx.{next_org} (Postfix) with ESMTPS id 4Xy1Zz{i}AbCz\r\n\tfor <bob@{next_org}>; {date}"
        ),
        1 => format!(
            "from relay.{org} ([{ip}]:4711 helo=relay.{org})\r\n\tby smtp.{next_org} with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n\t(Exim 4.97)\r\n\t(envelope-from <a@{org}>)\r\n\tid 1t4QlJ-0000{i}DOzK-3k; {date}"
        ),
        2 => format!(
            "from out.{org} (out.{org} [{ip}])\r\n\tby in.{next_org} (8.15.2/8.15.2) with ESMTP id 3AB2cDeF0{i}\r\n\t(version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NOT)\r\n\tfor <bob@{next_org}>; {date}"
        ),
        3 => format!(
            "from AM8PR0{i}MB7001.eurprd0{i}.prod.outlook.com ({ip}) by\r\n AS8PR0{i}MB8001.eurprd0{i}.prod.outlook.com ({ip}) with Microsoft SMTP\r\n Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id\r\n 15.20.8101.12; {date}"
        ),
        4 => format!(
            "by 2002:a05:6a20:88a8:b0:d23:d539:{i} with SMTP id p7mr15645159fgb.72;\r\n        {date}"
        ),
        5 => format!(
            "from unknown [{ip}] (EHLO mta.{org})\r\n\tby mx0b-00231701.pphosted.com\r\n        (envelope-from <mailer@{org}>);\r\n\t{date}"
        ),
        6 => format!(
            "from portal.{org} (HELO portal.{org}) ({ip})\r\n  by mail.{next_org} with SMTP; {date}"
        ),
        _ => format!(
            "from mail.{next_org}\r\n\tby imap1.{next_org} with LMTP\r\n\tid mAtFHAmJoWmVuAQAu9opvQ\r\n\t(envelope-from <x@{org}>)\r\n\tfor <bob@{next_org}>; {date}"
        ),
    }
}

pub fn generate(n: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let orgs = [
        "example.org",
        "example.net",
        "example.com",
        "clinic.example",
        "lab.example",
        "mail.example.co.uk",
    ];
    (0..n)
        .map(|m| {
            let hops = 3 + rng.below(6) as usize;
            let mut fields: Vec<String> = (0..hops)
                .map(|i| {
                    let org = orgs[rng.below(orgs.len() as u64) as usize];
                    let next = orgs[rng.below(orgs.len() as u64) as usize];
                    format!("Received: {}\r\n", hop(&mut rng, i, org, next))
                })
                .collect();
            fields.reverse();
            let mut msg = fields.concat();
            msg.push_str(&format!(
                "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.org; dkim=pass header.d=example.org; dmarc=pass\r\nFrom: Sender {m} <s{m}@example.org>\r\nTo: bob@example.net\r\nSubject: Message number {m}\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{m}@example.org>\r\n\r\n"
            ));
            msg.into_bytes()
        })
        .collect()
}
