import json,sys
f=sys.argv[1]; lo,hi=int(sys.argv[2]),int(sys.argv[3])
c=[json.loads(l) for l in open('cases.jsonl')]; a=[json.loads(l) for l in open(f)]
for i in range(lo-1,hi):
    x,y=c[i],a[i]
    print("="*100); print(x['id'],x['kind'],"| exp:",x['expected_mode'],x['expected_verdict'],x['expected_outcome'],"urg",x['urgent'])
    print("Q:",x['text'])
    print("-- mode:",y['mode'],"| urgent:",y['urgent'],"| myth:",json.dumps(y['myth'])[:300],"| decision:",json.dumps(y['decision'])[:400])
    print("-- banner:",y.get('banner'),"| warnings:",y.get('warnings'), "| follow_up:", y.get('follow_up'))
    print(y['answer'])
