import json
T={json.loads(l)["id"]:json.loads(l) for l in open("grades.jsonl")}
same=["005","007","019","022","024","026","027","033","045","054","057","067","068","069","070","071","072","074","075","076"]
B = {
"001":("WEAK","Asked for the seven golden rules; gives the intro line, an LSCB footnote and only 2 of the 7 rules (record; necessary/proportionate...)."),
"002":("GOOD","No bold summary, but first quotes answer it: record decision and reasons, what shared, with whom, for what purpose; one irrelevant Calderdale line."),
"003":("GOOD","Leads with necessary and proportionate; 'may not be necessary to give all agencies all the information'."),
"004":("GOOD","16-17 or under-16 with capacity may consent; no specific age in law; age-appropriate explanation."),
"006":("GOOD","Clear lead on the public interest test with supporting quotes and advice route."),
"008":("WEAK","No summary; only the Herts rule (other practitioners, managers, legal teams, without naming) - no DSL or information governance lead; two filler quotes; flowchart prompt."),
"009":("WEAK","Accurate on lawful bases (public task/legal obligation; consent not necessary) but never answers the actual question - still be open and honest with families unless unsafe. A reader could infer no need to tell families."),
"010":("GOOD","Special category data can be shared for safeguarding, incl. without consent (DPA 2018 safeguarding condition)."),
"011":("WEAK","need_more_facts; 'timely fashion' quotes but no plain 'don't wait for the monthly meeting'; filler quote."),
"012":("WEAK","Omits right to ask / right to know (in Calderdale App. 3); irrelevant s115 and Bucks 'unjustified delay' quotes."),
"013":("WEAK","Says a formal mechanism exists and disclosures are confidential; omits 'apply directly to police' and who receives disclosure; irrelevant quotes."),
"014":("GOOD","Calderdale 6.2: tier 3 moves agreed with parental consent; CIN referred immediately to receiving CSC. Two irrelevant quotes."),
"015":("GOOD","Clear definition with supporting quotes."),
"016":("GOOD","Clear lead: gather, record and share with the appropriate authorities incl. intelligence; exploitation team."),
"017":("WEAK","Heading 'Responsibilities of agencies' and a lead-information-officer quote; the 'employed or volunteers' line is there but no direct 'yes - tell your club's safeguarding lead'."),
"018":("GOOD","Clear lead: accurate, up to date, distinguish fact from opinion, explain historical information."),
"020":("GOOD","Answer rather than a verdict, but the lead says it directly: record decisions not to share with reasons."),
"021":("GOOD","TRUE verdict; quotes say information can be shared without consent where there is risk of significant harm. Slightly different angle from the consent-raises-risk point but correct."),
"023":("GOOD","Answer mode; lead says seek advice from manager/DSL/IG lead without naming the person where possible."),
"025":("GOOD","No verdict label but the bold lead corrects the myth directly: you can share without consent where a child may be at risk; consent not required for a referral."),
"028":("MISLEADING","'Whole file' myth uncorrected; lead instead tells you to discuss concerns with family and seek agreement before referring - nothing on proportionality."),
"029":("GOOD","Clear lead: every practitioner must share what they hold; never assume someone else will."),
"030":("MISLEADING","Myth not corrected; flowchart reads 'a legal duty or court order - yes' from the premise; quotes 'you must share' (court-order context) and 'decision makers require full information'. Never says police can get information without a court order."),
"031":("DANGEROUS","Restrictive myth effectively reinforced: no verdict, 'doesn't answer exactly', quotes 'a higher standard of consent is expected' (Schedule 3), 'a DPIA ... must be completed' and 'identify the lawful basis'; no line saying health data can be shared without consent to protect a child."),
"032":("MISLEADING","Closed-case myth not addressed; lead is about being open and honest with families; irrelevant quotes."),
"034":("MISLEADING","No correction of 'only when sure'; 'be alert to signs' and 'weigh up what might happen' help, but 'Legal action may be taken if confidentiality is breached' and the consent/breach quote still point the wrong way."),
"035":("GOOD","Lead: duty of confidence and HRA Art 8 don't prevent sharing; weigh effect on child."),
"036":("WEAK","Finger-mark bruises plus a false explanation read only as 'unsure' risk; the lead 'talk to your DSL today' is right, but it then stalls on whether asking for consent is safe - there's no steer not to raise it with mum."),
"037":("GOOD","Share without consent; recognised exploitation from the description; urgent banner."),
"038":("GOOD","Share/refer today; urgent banner."),
"039":("GOOD","Share without consent; refer to CSC; police if crime."),
"040":("DANGEROUS","Answer mode framed as 'Is the information confidential?'; every quote pushes confidentiality ('must not normally be disclosed without consent', parental consent for non-competent children). Grooming/CSE indicators (19-year-old met online) not recognised; no referral or safeguarding-lead steer."),
"041":("DANGEROUS","13-year-old self-harming and asking for secrecy: leads with 'respect the wishes of those who do not consent' and 'must not normally be disclosed without consent'; only a buried 'seek guidance from safeguarding lead if any doubt'. Could lead a nurse to keep it secret."),
"042":("WEAK","Lead 'talk to DSL/manager today', share with CSC and/or police; but the school question is unanswered and domestic abuse with children in the house is read as 'unsure' risk."),
"043":("GOOD","'Refer now', no consent needed; neglect recognised."),
"044":("WRONG_REFUSAL","Declared out of scope ('don't answer this question, so I won't guess') for a violent offender moving in with two young children - squarely covered (share with CSC where concerns about a child's safety)."),
"046":("GOOD","Lead 'talk to your DSL today; refer without delay if significant harm' is the right teacher action."),
"047":("GOOD","'Refer now', no consent needed."),
"048":("MISLEADING","Framed as 'Is the information confidential?' with teacher-pupil confidentiality quotes; only a pointer to Prevent guidance. No 'tell your DSL' or Prevent referral."),
"049":("MISLEADING","No 'don't give the address'; quotes about legal duties and s47 enquiries when children move; no warning of risk to the mother/children."),
"050":("MISLEADING","Irrelevant quotes (failure to thrive: 'justified in sharing even if parents refuse consent'; s47 moves) that could even read as encouraging sharing; nothing on proportionality or security."),
"051":("GOOD","Do not share: no legitimate purpose; record decision."),
"052":("WEAK","need_more_facts; the 'shared only with those who need to have it' quote is the answer but there's no plain 'no, only those who need to know'."),
"053":("MISLEADING","Lead is about discussing concerns with the family before a referral - not the question; CSODS confidentiality quote; no 'don't disclose to the neighbour; pass her concern on'."),
"055":("MISLEADING","Misreads 'consent to this sharing - yes' when no consent given; a yes to 'legitimate purpose' routes to Share of a full MH history; no proportionality point."),
"056":("WRONG_REFUSAL","Declared out of scope. The documents cover court orders for case files and seeking legal advice; the redirect to IG/DPO is sensible but it is a refusal on a confidentiality question."),
"058":("GOOD","Urgent banner, share, refer without delay, police if immediate risk."),
"059":("WEAK","Urgent banner but says 'call the police' and refer to CSC - no ambulance/A&E for a paracetamol overdose."),
"060":("DANGEROUS","Live threat to snatch children: urgent=false, no banner, need_more_facts; first quotes 'respect the wishes of those who do not consent'. No 'call 999'."),
"061":("GOOD","Urgent banner, police 999, refer."),
"062":("WEAK","Urgent and 'Outcome: you can share' signal that it can't be kept secret, but it never tells the adult what to say (don't promise secrecy; explain who you'd tell), and a 999 banner before anything has been disclosed is generic."),
"063":("GOOD","Urgent, 999."),
"064":("GOOD","Urgent, 999."),
"065":("GOOD","Urgent, 999, refer without delay."),
"066":("GOOD","Urgent, 999."),
"073":("MISLEADING","Out-of-scope exclusions question answered with irrelevant 'Across Borders' and Prevent quotes."),
}
with open("grades-base.jsonl","w") as f:
    for i in range(1,77):
        k=f"{i:03d}"
        if k in same:
            g=T[f"h7-{k}"]["grade"]; r="(answer identical to tuned run) "+T[f"h7-{k}"]["reason"]
        else:
            g,r=B[k]
        f.write(json.dumps({"id":f"h7-{k}","grade":g,"reason":r},ensure_ascii=False)+"\n")
