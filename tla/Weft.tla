-------------------------------- MODULE Weft --------------------------------
(***************************************************************************)
(* The Weft sync protocol for one document (rooms are independent, so one *)
(* document is enough), as fixed in DESIGN.md:                             *)
(*                                                                         *)
(*   clients  -- local replica, durable outbox, one WebSocket at a time    *)
(*   servers  -- several nodes, in-memory sessions/subscriptions, lossy    *)
(*               pub/sub fan-out between them                              *)
(*   store    -- append-only change log keyed by (replica, counter),       *)
(*               duplicates ignored; survives everything                   *)
(*                                                                         *)
(* Messages: hello (client -> server, carries the token),               *)
(* subscribe(version), sync(changes, version), update(changes),           *)
(* ack(version).                                                           *)
(*                                                                         *)
(* Faults, all optional and drawn from one budget of MaxFaults so that     *)
(* "faults stop" is the budget running out: losing a client/server         *)
(* message, delivering one twice, dropping a client's connection at any    *)
(* point, crashing a server node (memory lost, store kept), losing a       *)
(* fan-out message.  Reordering is free: channels are unordered sets.      *)
(*                                                                         *)
(* The replicated data type is abstract: a replica's state is a set of     *)
(* changes (merge = union, gated by causality) plus one last-writer-wins   *)
(* register ordered by (clock, replica).                                   *)
(*                                                                         *)
(* AckBeforeCommit = TRUE turns the server into a deliberately broken one  *)
(* that acknowledges and publishes an update before committing it; TLC     *)
(* must reject that variant.  See README.md.                               *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    Clients,          \* replica ids, natural numbers: their order breaks LWW ties
    Servers,          \* server node ids (model values)
    None,             \* model value: "not connected"
    MaxWrites,        \* local writes per client
    MaxFaults,        \* total fault budget
    MaxQueue,         \* server -> client send buffer; beyond it the client is dropped
    SeparateAck,      \* TRUE: ack/publish is a step of its own after the commit
    AckBeforeCommit   \* FALSE: the real protocol; TRUE: the broken variant

ASSUME
    /\ Clients \subseteq Nat \ {0} /\ Clients # {}
    /\ Servers # {} /\ None \notin Servers
    /\ MaxWrites \in Nat /\ MaxFaults \in Nat /\ MaxQueue \in Nat \ {0}
    /\ SeparateAck \in BOOLEAN /\ AckBeforeCommit \in BOOLEAN

VARIABLES
    \* client side; doc, reg and outbox are durable (IndexedDB), the rest is not
    doc,          \* doc[c]: changes in c's local replica
    reg,          \* reg[c]: winning change of c's LWW register, merged incrementally
    outbox,       \* outbox[c]: c's own changes not yet acknowledged
    conn,         \* conn[c]: the server node c is connected to, or None
    phase,        \* phase[c]: "off" | "sub" (hello+subscribe sent) | "live"
    c2s,          \* c2s[c]: messages in flight from c to conn[c]
    s2c,          \* s2c[c]: messages in flight from conn[c] to c
    \* server side, all in memory except the store
    up,           \* up[s]: node s is running
    authed,       \* authed[s]: clients whose hello (token) node s has accepted
    subs,         \* subs[s]: clients subscribed to the document on node s
    pend,         \* pend[s]: committed updates whose ack and publication are due
    fan,          \* fan[s]: fan-out (pub/sub) messages on their way to node s
    uncommitted,  \* uncommitted[s]: acked but not yet committed (broken variant only)
    store,        \* the durable change log
    \* bookkeeping
    acked,        \* ghost: every change whose author has seen it acknowledged
    faults        \* faults used so far

cvars == <<doc, reg, outbox, conn, phase>>
chans == <<c2s, s2c>>
svars == <<up, authed, subs, pend, fan, uncommitted>>
vars  == <<doc, reg, outbox, conn, phase, c2s, s2c, up, authed, subs, pend, fan,
           uncommitted, store, acked, faults>>

-----------------------------------------------------------------------------
(* Changes, versions, merge                                                *)

MaxClock == MaxWrites * Cardinality(Clients)

\* A change: replica r's n-th change, stamped with logical clock t (the HLC of
\* the implementation, without its physical part).
Change == [r : Clients, n : 1..MaxWrites, t : 1..MaxClock]

\* Version vector: replica -> highest counter held.
Version == [Clients -> 0..MaxWrites]

Max(S) == CHOOSE x \in S : \A y \in S : y <= x

VersionOf(D) ==
    [r \in Clients |->
        LET ns == {ch.n : ch \in {x \in D : x.r = r}}
        IN  IF ns = {} THEN 0 ELSE Max(ns)]

VerLeq(v, w) == \A r \in Clients : v[r] <= w[r]

\* The delta: changes of D that a holder of version v lacks.
Lacking(D, v) == {ch \in D : ch.n > v[ch.r]}

\* Changes of D covered by version v.
Covered(D, v) == {ch \in D : ch.n <= v[ch.r]}

\* The part of S that is causally ready on top of D: every earlier change of
\* the same replica is in D or in S.  (A change depends on the writer's own
\* earlier changes; its dependencies on other replicas are always in the
\* store already, because a client only ever receives committed changes.)
Ready(D, S) ==
    {ch \in S : \A k \in 1..(ch.n - 1) : \E x \in D \cup S : x.r = ch.r /\ x.n = k}

Own(D, c) == {ch \in D : ch.r = c}

\* A set is causally closed when every replica's changes are 1..k.
Closed(D) == Ready({}, D) = D

\* LWW order on stamps (clock, replica).
Newer(a, b) == a.t > b.t \/ (a.t = b.t /\ a.r > b.r)

NoStamp == [r |-> 0, n |-> 0, t |-> 0]

\* Merge a set of changes into a register value: keep the newest stamp.
MergeReg(cur, S) ==
    LET cands == S \cup {cur}
    IN  CHOOSE w \in cands : \A x \in cands : x = w \/ Newer(w, x)

\* The register value as a pure function of a set of changes.
LWW(D) == MergeReg(NoStamp, D)

ClockOf(D) == LET ts == {ch.t : ch \in D} IN IF ts = {} THEN 0 ELSE Max(ts)

-----------------------------------------------------------------------------
(* Messages                                                                *)

Hello          == [type |-> "hello"]
Subscribe(v)   == [type |-> "subscribe", ver |-> v]
Sync(chs, v)   == [type |-> "sync", chs |-> chs, ver |-> v]
Update(chs)    == [type |-> "update", chs |-> chs]
Ack(v)         == [type |-> "ack", ver |-> v]

ClientMsg ==
    {Hello} \cup [type : {"subscribe"}, ver : Version]
            \cup [type : {"update"}, chs : SUBSET Change]
ServerMsg ==
    [type : {"sync"}, chs : SUBSET Change, ver : Version]
            \cup [type : {"update"}, chs : SUBSET Change]
            \cup [type : {"ack"}, ver : Version]

\* Duplicate delivery is a fault: only while the budget lasts.
DupChoices == IF faults < MaxFaults THEN BOOLEAN ELSE {FALSE}
Charge(dup) == faults' = faults + (IF dup THEN 1 ELSE 0)
Take(set, m, dup) == IF dup THEN set ELSE set \ {m}

\* Nothing is in flight on c's connection and no ack is due to it: every
\* request has been answered or lost.  (The SDK learns this from its
\* request/heartbeat timers.)
Quiet(c) ==
    /\ c2s[c] = {} /\ s2c[c] = {}
    /\ conn[c] # None => \A r \in pend[conn[c]] : r.cl # c

PendRec == [cl : Clients, chs : SUBSET Change, ver : Version]

NoOut == [t \in Clients |-> {}]

\* Server s sends out[t] to each client t (all connected to s); cin, au and
\* sb are c2s, authed[s] and subs[s] as this step leaves them.  A
\* client whose send buffer would exceed MaxQueue is a slow consumer: the
\* server drops its connection and lets it re-sync (DESIGN.md, Limits).
ServerSend(s, cin, au, sb, out) ==
    LET slow == {t \in Clients : out[t] # {} /\ Cardinality(s2c[t] \cup out[t]) > MaxQueue}
    IN  /\ s2c'   = [t \in Clients |-> IF t \in slow THEN {} ELSE s2c[t] \cup out[t]]
        /\ c2s'   = [t \in Clients |-> IF t \in slow THEN {} ELSE cin[t]]
        /\ conn'  = [t \in Clients |-> IF t \in slow THEN None ELSE conn[t]]
        /\ phase' = [t \in Clients |-> IF t \in slow THEN "off" ELSE phase[t]]
        /\ authed' = [authed EXCEPT ![s] = au \ slow]
        /\ subs'  = [subs EXCEPT ![s] = sb \ slow]

-----------------------------------------------------------------------------
(* Initial state                                                           *)

Init ==
    /\ doc = [c \in Clients |-> {}]
    /\ reg = [c \in Clients |-> NoStamp]
    /\ outbox = [c \in Clients |-> {}]
    /\ conn = [c \in Clients |-> None]
    /\ phase = [c \in Clients |-> "off"]
    /\ c2s = [c \in Clients |-> {}]
    /\ s2c = [c \in Clients |-> {}]
    /\ up = [s \in Servers |-> TRUE]
    /\ authed = [s \in Servers |-> {}]
    /\ subs = [s \in Servers |-> {}]
    /\ pend = [s \in Servers |-> {}]
    /\ fan = [s \in Servers |-> {}]
    /\ uncommitted = [s \in Servers |-> {}]
    /\ store = {}
    /\ acked = {}
    /\ faults = 0

-----------------------------------------------------------------------------
(* Client actions (sdk/: document handle, offline queue, connection)       *)

\* A local write, online or offline: applied to the replica at once and
\* queued durably in the outbox (Idle sends it).
Write(c) ==
    LET n  == VersionOf(doc[c])[c] + 1
        ch == [r |-> c, n |-> n, t |-> ClockOf(doc[c]) + 1]
    IN  /\ n <= MaxWrites
        /\ doc' = [doc EXCEPT ![c] = @ \cup {ch}]
        /\ reg' = [reg EXCEPT ![c] = MergeReg(@, {ch})]
        /\ outbox' = [outbox EXCEPT ![c] = @ \cup {ch}]
        /\ UNCHANGED <<conn, phase, chans, svars, store, acked, faults>>

\* Open a WebSocket to any running node and send hello (with the token)
\* and subscribe with the local version, pipelined.  The server reads hello
\* first (the socket is ordered), and closes a session whose first frame is
\* anything else, which happens here when hello was lost.
Connect(c) ==
    /\ conn[c] = None
    /\ \E s \in Servers :
        /\ up[s]
        /\ conn' = [conn EXCEPT ![c] = s]
        /\ phase' = [phase EXCEPT ![c] = "sub"]
        /\ c2s' = [c2s EXCEPT ![c] = {Hello, Subscribe(VersionOf(doc[c]))}]
        /\ s2c' = [s2c EXCEPT ![c] = {}]
    /\ UNCHANGED <<doc, reg, outbox, svars, store, acked, faults>>

\* Merge received changes (only the causally ready part; the rest is dropped
\* and comes back with the next sync).
MergeIn(c, chs) ==
    LET new == Ready(doc[c], chs) \ doc[c]
    IN  /\ doc' = [doc EXCEPT ![c] = @ \cup new]
        /\ reg' = [reg EXCEPT ![c] = MergeReg(@, new)]

\* Drop from the outbox what the server's durable version covers.
Acknowledge(c, v) ==
    LET done == Covered(outbox[c], v)
    IN  /\ outbox' = [outbox EXCEPT ![c] = @ \ done]
        /\ acked' = acked \cup done

\* The client handles one message from its server.
ClientRecv(c) ==
    /\ conn[c] # None
    /\ \E m \in s2c[c], dup \in DupChoices :
        LET rest == [s2c EXCEPT ![c] = Take(@, m, dup)]
        IN
        /\ Charge(dup)
        /\ CASE m.type = "sync" ->
                   \* merge the delta and treat the store version as an ack;
                   \* what is left in the outbox is what the server lacks,
                   \* and Idle sends it next
                   /\ MergeIn(c, m.chs)
                   /\ Acknowledge(c, m.ver)
                   /\ phase' = [phase EXCEPT ![c] = "live"]
                   /\ s2c' = rest
                   /\ UNCHANGED c2s
             [] m.type = "update" ->
                   \* another replica's committed changes, forwarded
                   /\ MergeIn(c, m.chs)
                   /\ s2c' = rest
                   /\ UNCHANGED <<outbox, phase, c2s, acked>>
             [] m.type = "ack" ->
                   /\ Acknowledge(c, m.ver)
                   /\ s2c' = rest
                   /\ UNCHANGED <<doc, reg, phase, c2s>>
    /\ UNCHANGED <<conn, svars, store>>

\* Heartbeat timeout while the handshake is stuck (its message was lost):
\* close and reconnect later.  Not a fault: this is the SDK's recovery.
Timeout(c) ==
    /\ conn[c] # None
    /\ phase[c] = "sub"
    /\ Quiet(c)
    /\ conn' = [conn EXCEPT ![c] = None]
    /\ phase' = [phase EXCEPT ![c] = "off"]
    /\ authed' = [s \in Servers |-> authed[s] \ {c}]
    /\ subs' = [s \in Servers |-> subs[s] \ {c}]
    /\ UNCHANGED <<doc, reg, outbox, chans, up, pend, fan, uncommitted, store, acked, faults>>

\* Live and nothing in flight.  With pending writes: send the whole outbox
\* as one update (one update in flight per connection; writes made meanwhile
\* go in the next batch, and a lost update or ack is simply re-sent).
\* Otherwise, anti-entropy: the heartbeat (ping/pong, not modelled as
\* messages) tells the client the head version of the store; when that is
\* ahead of its own version it re-sends subscribe with its version and gets
\* the delta.  This is what catches up a live client whose fan-out message
\* was lost, without reconnecting.
Behind(c) == ~VerLeq(VersionOf(store), VersionOf(doc[c]))

Idle(c) ==
    /\ conn[c] # None
    /\ phase[c] = "live"
    /\ Quiet(c)
    /\ outbox[c] # {} \/ Behind(c)
    /\ c2s' = [c2s EXCEPT ![c] = IF outbox[c] # {} THEN {Update(outbox[c])}
                                   ELSE {Subscribe(VersionOf(doc[c]))}]
    /\ UNCHANGED <<cvars, s2c, svars, store, acked, faults>>

-----------------------------------------------------------------------------
(* Server actions (server/: connection handler, room, store, fan-out)      *)

\* The node handles one message from a connected client.
ServerRecv(s, c) ==
    /\ conn[c] = s
    /\ \E m \in c2s[c], dup \in DupChoices :
        LET cin == [c2s EXCEPT ![c] = Take(@, m, dup)]
        IN
        \* the socket is ordered: nothing sent after hello is read before it
        \* (all other messages may be reordered freely)
        /\ m.type # "hello" => Hello \notin c2s[c]
        /\ Charge(dup)
        /\ CASE m.type # "hello" /\ c \notin authed[s] ->
                   \* every message but hello needs an accepted hello on this
                   \* session (here: hello was lost); the node closes it
                   /\ conn' = [conn EXCEPT ![c] = None]
                   /\ phase' = [phase EXCEPT ![c] = "off"]
                   /\ c2s' = [c2s EXCEPT ![c] = {}]
                   /\ s2c' = [s2c EXCEPT ![c] = {}]
                   /\ UNCHANGED <<authed, subs, pend, fan, uncommitted, store>>
             [] m.type = "hello" ->
                   \* verify the token (all modelled clients may write)
                   /\ authed' = [authed EXCEPT ![s] = @ \cup {c}]
                   /\ c2s' = cin
                   /\ UNCHANGED <<conn, phase, s2c, subs, pend, fan, uncommitted, store>>
             [] m.type = "subscribe" ->
                   \* join the room; the delta comes from the store, never from
                   \* the room's memory, which may have missed fan-out messages
                   /\ ServerSend(s, cin, authed[s], subs[s] \cup {c},
                        [NoOut EXCEPT ![c] = {Sync(Lacking(store, m.ver), VersionOf(store))}])
                   /\ UNCHANGED <<pend, fan, uncommitted, store>>
             [] m.type = "update" ->
                   \* Validate (only the sender's own changes, causally ready),
                   \* commit to the store, then ack with the store's version
                   \* after the commit, forward to this node's other
                   \* subscribers and publish to the other nodes (pub/sub
                   \* reaches the nodes that have the document open).
                   \*  - SeparateAck: the commit here, the rest in Respond.
                   \*  - otherwise one step: a crash between commit and ack is
                   \*    then the same as a crash (or lost message) taking the
                   \*    ack and the publication with it, and those faults are
                   \*    in the model; CI uses this, it is 3x smaller.
                   \*  - AckBeforeCommit (broken): ack and publish now, commit
                   \*    later in Commit.
                   LET known  == store \cup uncommitted[s]
                       valid  == Ready(known, {ch \in m.chs : ch.r = c})
                       new    == valid \ known
                       ver    == VersionOf(known \cup new)
                       out    == [t \in Clients |->
                                    (IF t = c THEN {Ack(ver)} ELSE {})
                                    \cup (IF new # {} /\ t \in subs[s] \ {c} THEN {Update(new)} ELSE {})]
                       fanout == IF new = {} THEN fan
                                 ELSE [t \in Servers |->
                                         IF t # s /\ subs[t] # {} THEN fan[t] \cup {new} ELSE fan[t]]
                   IN
                   IF AckBeforeCommit
                   THEN /\ uncommitted' = [uncommitted EXCEPT ![s] = @ \cup new]
                        /\ ServerSend(s, cin, authed[s], subs[s], out)
                        /\ fan' = fanout
                        /\ UNCHANGED <<store, pend>>
                   ELSE IF SeparateAck
                   THEN /\ store' = store \cup new
                        /\ pend' = [pend EXCEPT ![s] = @ \cup {[cl |-> c, chs |-> new, ver |-> ver]}]
                        /\ c2s' = cin
                        /\ UNCHANGED <<conn, phase, s2c, authed, subs, fan, uncommitted>>
                   ELSE /\ store' = store \cup new
                        /\ ServerSend(s, cin, authed[s], subs[s], out)
                        /\ fan' = fanout
                        /\ UNCHANGED <<pend, uncommitted>>
    /\ UNCHANGED <<doc, reg, outbox, up, acked>>

\* After the commit: ack the author (if still connected here), forward to the
\* node's other subscribers, publish to the other nodes (pub/sub reaches the
\* nodes that have the document open).
Respond(s) ==
    /\ \E r \in pend[s] :
        LET others == IF r.chs = {} THEN {} ELSE subs[s] \ {r.cl}
        IN
        /\ pend' = [pend EXCEPT ![s] = @ \ {r}]
        /\ ServerSend(s, c2s, authed[s], subs[s],
             [t \in Clients |->
                (IF t = r.cl /\ conn[t] = s THEN {Ack(r.ver)} ELSE {})
                \cup (IF t \in others THEN {Update(r.chs)} ELSE {})])
        /\ fan' = IF r.chs = {} THEN fan
                  ELSE [t \in Servers |->
                          IF t # s /\ subs[t] # {} THEN fan[t] \cup {r.chs} ELSE fan[t]]
    /\ UNCHANGED <<doc, reg, outbox, up, uncommitted, store, acked, faults>>

\* Broken variant only: the deferred commit.
Commit(s) ==
    /\ AckBeforeCommit
    /\ uncommitted[s] # {}
    /\ store' = store \cup uncommitted[s]
    /\ uncommitted' = [uncommitted EXCEPT ![s] = {}]
    /\ UNCHANGED <<cvars, chans, up, authed, subs, pend, fan, acked, faults>>

\* A fan-out message reaches node s: forward it to its subscribers.
Forward(s) ==
    /\ \E chs \in fan[s] :
        /\ fan' = [fan EXCEPT ![s] = @ \ {chs}]
        /\ ServerSend(s, c2s, authed[s], subs[s], [t \in Clients |-> IF t \in subs[s] THEN {Update(chs)} ELSE {}])
    /\ UNCHANGED <<doc, reg, outbox, up, pend, uncommitted, store, acked, faults>>

\* A crashed node comes back with empty memory.
Restart(s) ==
    /\ ~up[s]
    /\ up' = [up EXCEPT ![s] = TRUE]
    /\ UNCHANGED <<cvars, chans, authed, subs, pend, fan, uncommitted, store, acked, faults>>

-----------------------------------------------------------------------------
(* Faults, each charged to the budget                                      *)

Budget == faults < MaxFaults /\ faults' = faults + 1

\* A message between a client and its server is lost.
LoseMsg(c) ==
    /\ Budget
    /\ \/ \E m \in c2s[c] : c2s' = [c2s EXCEPT ![c] = @ \ {m}] /\ UNCHANGED s2c
       \/ \E m \in s2c[c] : s2c' = [s2c EXCEPT ![c] = @ \ {m}] /\ UNCHANGED c2s
    /\ UNCHANGED <<cvars, svars, store, acked>>

\* The connection drops at any point (network, tab closed, reload): what
\* was in flight either way is gone; durable client state is kept.
Disconnect(c) ==
    /\ conn[c] # None
    /\ Budget
    /\ conn' = [conn EXCEPT ![c] = None]
    /\ phase' = [phase EXCEPT ![c] = "off"]
    /\ c2s' = [c2s EXCEPT ![c] = {}]
    /\ s2c' = [s2c EXCEPT ![c] = {}]
    /\ authed' = [s \in Servers |-> authed[s] \ {c}]
    /\ subs' = [s \in Servers |-> subs[s] \ {c}]
    /\ UNCHANGED <<doc, reg, outbox, up, pend, fan, uncommitted, store, acked>>

\* A node crashes: sessions, subscriptions, what it had in flight to its
\* clients, and fan-out not yet delivered to it are lost; the store is kept.
Crash(s) ==
    /\ up[s]
    /\ Budget
    /\ LET gone == {c \in Clients : conn[c] = s}
       IN  /\ conn' = [c \in Clients |-> IF c \in gone THEN None ELSE conn[c]]
           /\ phase' = [c \in Clients |-> IF c \in gone THEN "off" ELSE phase[c]]
           /\ c2s' = [c \in Clients |-> IF c \in gone THEN {} ELSE c2s[c]]
           /\ s2c' = [c \in Clients |-> IF c \in gone THEN {} ELSE s2c[c]]
    /\ up' = [up EXCEPT ![s] = FALSE]
    /\ authed' = [authed EXCEPT ![s] = {}]
    /\ subs' = [subs EXCEPT ![s] = {}]
    /\ pend' = [pend EXCEPT ![s] = {}]
    /\ fan' = [fan EXCEPT ![s] = {}]
    /\ uncommitted' = [uncommitted EXCEPT ![s] = {}]
    /\ UNCHANGED <<doc, reg, outbox, store, acked>>

\* Pub/sub is lossy: a fan-out message to node s disappears.
LoseFanout(s) ==
    /\ Budget
    /\ \E chs \in fan[s] : fan' = [fan EXCEPT ![s] = @ \ {chs}]
    /\ UNCHANGED <<cvars, chans, up, authed, subs, pend, uncommitted, store, acked>>

-----------------------------------------------------------------------------
(* The specification                                                       *)

Next ==
    \/ \E c \in Clients :
        \/ Write(c) \/ Connect(c) \/ ClientRecv(c) \/ Timeout(c) \/ Idle(c)
        \/ LoseMsg(c) \/ Disconnect(c)
    \/ \E s \in Servers :
        \/ Respond(s) \/ Commit(s) \/ Forward(s) \/ Restart(s)
        \/ Crash(s) \/ LoseFanout(s)
        \/ \E c \in Clients : ServerRecv(s, c)

\* Every protocol step is weakly fair; writes and faults are not.
Fairness ==
    /\ \A c \in Clients :
        /\ WF_vars(Connect(c))
        /\ WF_vars(ClientRecv(c))
        /\ WF_vars(Timeout(c) \/ Idle(c))
    /\ \A s \in Servers :
        /\ WF_vars(Respond(s))
        /\ WF_vars(Commit(s))
        /\ WF_vars(Forward(s))
        /\ WF_vars(Restart(s))
        /\ \A c \in Clients : WF_vars(ServerRecv(s, c))

Spec == Init /\ [][Next]_vars
FairSpec == Spec /\ Fairness

-----------------------------------------------------------------------------
(* Properties                                                              *)

TypeOK ==
    /\ doc \in [Clients -> SUBSET Change]
    /\ reg \in [Clients -> Change \cup {NoStamp}]
    /\ outbox \in [Clients -> SUBSET Change]
    /\ conn \in [Clients -> Servers \cup {None}]
    /\ phase \in [Clients -> {"off", "sub", "live"}]
    /\ c2s \in [Clients -> SUBSET ClientMsg]
    /\ s2c \in [Clients -> SUBSET ServerMsg]
    /\ up \in [Servers -> BOOLEAN]
    /\ authed \in [Servers -> SUBSET Clients]
    /\ subs \in [Servers -> SUBSET Clients]
    /\ pend \in [Servers -> SUBSET PendRec]
    /\ fan \in [Servers -> SUBSET SUBSET Change]
    /\ uncommitted \in [Servers -> SUBSET Change]
    /\ store \in SUBSET Change
    /\ acked \in SUBSET Change
    /\ faults \in 0..MaxFaults

\* Structural invariants of the protocol.
Structure ==
    \* connections: only to running nodes, phase agrees, nothing in flight when off
    /\ \A c \in Clients :
        /\ conn[c] # None => up[conn[c]]
        /\ (conn[c] = None) <=> (phase[c] = "off")
        /\ conn[c] = None => c2s[c] = {} /\ s2c[c] = {}
    \* a node has sessions only for clients connected to it, subscribes only
    \* authenticated sessions, and a crashed node holds nothing
    /\ \A s \in Servers :
        /\ \A c \in authed[s] : conn[c] = s
        /\ subs[s] \subseteq authed[s]
        /\ ~up[s] => authed[s] = {} /\ subs[s] = {} /\ pend[s] = {} /\ fan[s] = {}
        \* a due ack never promises more than the store holds
        /\ \A r \in pend[s] : VerLeq(r.ver, VersionOf(store))
    \* replicas and the store are causally closed (no gaps per replica)
    /\ Closed(store)
    /\ \A c \in Clients : Closed(doc[c])
    \* the outbox holds only the client's own changes, all in its replica
    /\ \A c \in Clients : \A ch \in outbox[c] : ch.r = c /\ ch \in doc[c]
    \* a change id (replica, counter) names one change everywhere
    /\ LET all == store \cup UNION {doc[c] : c \in Clients}
       IN  \A a, b \in all : a.r = b.r /\ a.n = b.n => a = b
    \* LWW stamps are unique, so the register order is total
    /\ \A c \in Clients : \A a, b \in doc[c] : a.r = b.r /\ a.t = b.t => a = b
    \* a client's own changes reach others only through the store
    /\ \A c, d \in Clients :
        c # d => Own(doc[d], c) \subseteq store \cup UNION {uncommitted[s] : s \in Servers}

\* No ack before commit: every ack (and sync, which acks too) that a server
\* has sent carries a version the store already holds.
AckImpliesDurable ==
    \A c \in Clients : \A m \in s2c[c] :
        m.type \in {"ack", "sync"} => VerLeq(m.ver, VersionOf(store))

\* A change whose author saw it acknowledged is in the store (and, as the
\* store is append-only -- StoreAppendOnly below -- stays there for ever).
NoAckedWriteLost == acked \subseteq store

\* Stronger, end to end: every write is either still in its author's durable
\* outbox (and will be re-sent) or already in the store.
NoWriteLost == \A c \in Clients : Own(doc[c], c) \subseteq outbox[c] \cup store

\* Replicas holding the same changes agree on the register, and the
\* incrementally merged register equals the order-free merge of the set.
LWWAgreement ==
    /\ \A c, d \in Clients : doc[c] = doc[d] => reg[c] = reg[d]
    /\ \A c \in Clients : reg[c] = LWW(doc[c])

StoreAppendOnly == [][store \subseteq store']_vars
AckedStaysDurable == [][\A ch \in acked : ch \in store']_vars

\* Convergence: once faults stop (budget spent or simply no more faults)
\* and writes are done, every client ends up connected, live, with nothing
\* pending and the same state as the store -- and stays so.
Converged ==
    \A c \in Clients :
        /\ phase[c] = "live"
        /\ outbox[c] = {}
        /\ doc[c] = store
Convergence == <>[]Converged

\* Safety side of convergence: a replica never holds anything that is
\* neither in the store nor its own pending write.
DocWithinStore == \A c \in Clients : doc[c] \subseteq store \cup outbox[c]

\* Symmetry of server nodes (sound for the safety properties only).
ServerSymmetry == Permutations(Servers)
=============================================================================
