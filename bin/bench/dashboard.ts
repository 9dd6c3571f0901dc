export async function runDashboard(_argv: string[]): Promise<number> { throw new Error('todo'); }
