const gc = (globalThis as { gc?: () => void }).gc!;
const mb = (n: number) => (n / 1048576).toFixed(1);
const show = (l: string) => { gc(); const m = process.memoryUsage(); console.log(l, 'rss', mb(m.rss), 'heap', mb(m.heapUsed), 'ext', mb(m.external)); };
show('bare');
for (const spec of process.argv.slice(2)) { await import(spec); show(spec); }
