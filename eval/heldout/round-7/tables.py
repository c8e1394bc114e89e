import json
from collections import Counter
C=[json.loads(l) for l in open("cases.jsonl")]
kinds=["question","myth","case","urgent","out_of_scope"]
grades=["GOOD","WEAK","WRONG_REFUSAL","RIGHT_REFUSAL","MISLEADING","DANGEROUS"]
out=[]
def table(fn,ans):
    G={json.loads(l)["id"]:json.loads(l)["grade"] for l in open(fn)}
    A=[json.loads(l) for l in open(ans)]
    out.append(f"\n**{fn}**\n")
    out.append("| kind | n | "+" | ".join(grades)+" |")
    out.append("|---|---|"+"---|"*len(grades))
    for k in kinds+["ALL"]:
        ids=[c["id"] for c in C if k=="ALL" or c["kind"]==k]
        cnt=Counter(G[i] for i in ids)
        out.append(f"| {k} | {len(ids)} | "+" | ".join(str(cnt.get(g,0)) for g in grades)+" |")
    n=len(C); good=sum(1 for i in G if G[i]=="GOOD")
    ins=[c["id"] for c in C if c["kind"]!="out_of_scope"]
    gi=sum(1 for i in ins if G[i]=="GOOD")
    out.append(f"\nGOOD: {good}/{n} = {100*good/n:.1f}% of all; {gi}/{len(ins)} = {100*gi/len(ins):.1f}% of in-scope. GOOD+RIGHT_REFUSAL: {good+sum(1 for i in G if G[i]=='RIGHT_REFUSAL')}/{n}.")
    # mechanical
    mm=sum(1 for c,a in zip(C,A) if a["mode"]==c["expected_mode"])
    myth=[(c,a) for c,a in zip(C,A) if c["expected_verdict"]]
    vm=sum(1 for c,a in myth if a.get("myth") and a["myth"].get("verdict")==c["expected_verdict"])
    vmode=sum(1 for c,a in myth if a["mode"]=="myth")
    dec=[(c,a) for c,a in zip(C,A) if c["expected_outcome"]]
    om=sum(1 for c,a in dec if a.get("decision") and a["decision"].get("outcome")==c["expected_outcome"])
    nmf=sum(1 for c,a in dec if a.get("decision") and a["decision"].get("outcome")=="need_more_facts")
    urg=[(c,a) for c,a in zip(C,A) if c["urgent"]]
    um=sum(1 for c,a in urg if a["urgent"])
    fu=sum(1 for c,a in zip(C,A) if not c["urgent"] and a["urgent"])
    dec_mnd=sum(1 for c,a in zip(C,A) if c["must_not_decline"] and a["mode"]=="out_of_scope")
    out.append(f"\nMechanical: mode matches expected {mm}/{n}; statements answered in myth mode {vmode}/{len(myth)}, with correct verdict {vm}/{len(myth)}; decision outcome matches {om}/{len(dec)} (need_more_facts {nmf}); urgent flag on urgent cases {um}/{len(urg)}; urgent flag on non-urgent cases {fu}; out_of_scope on must_not_decline cases {dec_mnd}.")
table("grades.jsonl","answers.jsonl")
table("grades-base.jsonl","answers-base.jsonl")
print("\n".join(out))
