// Placeholder until this page is built.
export default function Page() {
  return <p>Not built yet.</p>
}
