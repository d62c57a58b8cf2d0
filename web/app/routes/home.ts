import { redirect } from 'react-router'

// Campaigns are the whole app for now; the signed-in layout sends visitors without a session on to /login.
export function loader() {
  return redirect('/campaigns')
}
